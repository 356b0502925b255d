//! Spreadsheet-safe CSV cells. A cell that begins with `=`, `+`, `-`, `@`,
//! a tab or a carriage return is run as a formula by Excel, LibreOffice and
//! Google Sheets (`=HYPERLINK("http://…")` in an item title becomes a live
//! link). As OWASP recommends, such a cell is written with a leading `'`,
//! which spreadsheets show as text and do not display. A cell that is a
//! number (`-0.25`) is no formula and stays as it is. `--raw-csv` turns
//! this off for programs that read the tables.

use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;
use serde::ser::{self, Impossible};

/// Whether cells are written as they are (`--raw-csv`); set once per build.
static RAW: AtomicBool = AtomicBool::new(false);

pub fn set_raw(raw: bool) {
    RAW.store(raw, Ordering::Relaxed);
}

/// CSV rows as the csv crate writes them (`,` between cells, `\n` after
/// each row, a cell quoted only when it holds `,`, `"`, `\r` or `\n`, a
/// `"` inside doubled), rendered straight into a byte buffer. The csv
/// crate's writer runs every byte of every cell through its quoting state
/// machine; the tables write tens of millions of cells, nearly all of which
/// need no quotes, and here such a cell is one search and one copy.
#[derive(Debug, Default)]
pub struct CsvRows {
    bytes: Vec<u8>,
    /// Whether the next cell starts a row (no `,` before it).
    at_row_start: bool,
}

impl CsvRows {
    pub fn new() -> CsvRows {
        CsvRows {
            bytes: Vec::new(),
            at_row_start: true,
        }
    }

    /// A row of cells written as they are (a header).
    pub fn write_record(&mut self, cells: &[&str]) {
        for cell in cells {
            self.cell(cell.as_bytes());
        }
        self.end_row();
    }

    /// One row: the row type's fields, each a cell, neutralised unless
    /// `--raw-csv`.
    pub fn write_row<R: Serialize>(&mut self, row: &R) -> Result<(), CellError> {
        let raw = RAW.load(Ordering::Relaxed);
        row.serialize(Cells { out: self, raw })?;
        self.end_row();
        Ok(())
    }

    /// The rows rendered so far.
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes
    }

    pub fn len(&self) -> usize {
        self.bytes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.bytes.is_empty()
    }

    /// Forgets the rows rendered so far (once they are written), keeping
    /// the buffer's room.
    pub fn clear(&mut self) {
        self.bytes.clear();
    }

    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }

    fn cell(&mut self, cell: &[u8]) {
        self.bytes.reserve(cell.len() + 1);
        if !std::mem::replace(&mut self.at_row_start, false) {
            self.bytes.push(b',');
        }
        if !needs_quotes(cell) {
            self.bytes.extend_from_slice(cell);
            return;
        }
        self.bytes.push(b'"');
        let mut rest = cell;
        while let Some(at) = memchr::memchr(b'"', rest) {
            self.bytes.extend_from_slice(&rest[..=at]);
            self.bytes.push(b'"');
            rest = &rest[at + 1..];
        }
        self.bytes.extend_from_slice(rest);
        self.bytes.push(b'"');
    }

    fn end_row(&mut self) {
        self.bytes.push(b'\n');
        self.at_row_start = true;
    }
}

/// Whether a cell holds `,`, `"`, `\r` or `\n`. Every byte is looked at,
/// without stopping at the first: the loop then runs on vector
/// instructions, and most cells are a few dozen bytes with none.
fn needs_quotes(cell: &[u8]) -> bool {
    cell.iter().fold(false, |found, &b| {
        found | matches!(b, b',' | b'"' | b'\n' | b'\r')
    })
}

/// The cell as a spreadsheet will read it safely.
pub fn neutralised(cell: &str) -> std::borrow::Cow<'_, str> {
    let risky = cell
        .bytes()
        .next()
        .is_some_and(|b| matches!(b, b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'));
    if risky && cell.parse::<f64>().is_err() {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A row that is no flat list of cells (a map, an enum with data): a bug
/// in a row type.
#[derive(Debug)]
pub struct CellError(String);

impl std::fmt::Display for CellError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for CellError {}

impl ser::Error for CellError {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        CellError(msg.to_string())
    }
}

/// Writes a flat row's fields as cells.
struct Cells<'a> {
    out: &'a mut CsvRows,
    /// `--raw-csv`: no cell is neutralised.
    raw: bool,
}

impl Cells<'_> {
    fn text(self, text: &str) -> Result<(), CellError> {
        if self.raw {
            self.out.cell(text.as_bytes());
        } else {
            self.out.cell(neutralised(text).as_bytes());
        }
        Ok(())
    }

    /// A number is never a formula: written as it is.
    fn number(self, value: impl std::fmt::Display) -> Result<(), CellError> {
        // The digits go straight after the `,`: no number needs quotes.
        use std::io::Write as _;
        if !std::mem::replace(&mut self.out.at_row_start, false) {
            self.out.bytes.push(b',');
        }
        // Writing into a Vec cannot fail.
        let _ = write!(self.out.bytes, "{value}");
        Ok(())
    }

    fn again(&mut self) -> Cells<'_> {
        Cells {
            out: &mut *self.out,
            raw: self.raw,
        }
    }
}

macro_rules! to_text {
    ($($method:ident: $ty:ty),*) => {
        $(fn $method(self, value: $ty) -> Result<(), CellError> {
            self.number(value)
        })*
    };
}

impl ser::Serializer for Cells<'_> {
    type Ok = ();
    type Error = CellError;
    type SerializeSeq = Self;
    type SerializeTuple = Self;
    type SerializeTupleStruct = Self;
    type SerializeTupleVariant = Impossible<(), CellError>;
    type SerializeMap = Impossible<(), CellError>;
    type SerializeStruct = Self;
    type SerializeStructVariant = Impossible<(), CellError>;

    to_text!(serialize_bool: bool, serialize_i8: i8, serialize_i16: i16, serialize_i32: i32,
        serialize_i64: i64, serialize_u8: u8, serialize_u16: u16, serialize_u32: u32,
        serialize_u64: u64);

    fn serialize_char(self, value: char) -> Result<(), CellError> {
        self.text(value.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, value: &str) -> Result<(), CellError> {
        self.text(value)
    }
    // A float is written as Display writes it (the csv crate's serializer
    // would use ryu: 1.0, not 1), with or without --raw-csv; the tables
    // format their measures to fixed digits before they get here, so no
    // cell depends on it today. A negative number is no formula.
    fn serialize_f32(self, value: f32) -> Result<(), CellError> {
        self.number(value)
    }
    fn serialize_f64(self, value: f64) -> Result<(), CellError> {
        self.number(value)
    }
    fn serialize_bytes(self, value: &[u8]) -> Result<(), CellError> {
        self.text(&String::from_utf8_lossy(value))
    }
    fn serialize_none(self) -> Result<(), CellError> {
        self.text("")
    }
    fn serialize_some<T: ?Sized + Serialize>(self, value: &T) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), CellError> {
        self.text("")
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), CellError> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), CellError> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: ?Sized + Serialize>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), CellError> {
        Err(ser::Error::custom(
            "a table cell cannot be an enum with data",
        ))
    }
    // A row may be a tuple or a list of cells, as the csv crate allows.
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, CellError> {
        Ok(self)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, CellError> {
        Ok(self)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, CellError> {
        Ok(self)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, CellError> {
        Err(ser::Error::custom("a table cell cannot be a tuple"))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, CellError> {
        Err(ser::Error::custom("a table cell cannot be a map"))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self, CellError> {
        Ok(self)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, CellError> {
        Err(ser::Error::custom(
            "a table cell cannot be an enum with data",
        ))
    }
}

macro_rules! flat_elements {
    ($($trait:ident :: $method:ident),*) => {
        $(impl ser::$trait for Cells<'_> {
            type Ok = ();
            type Error = CellError;

            fn $method<T: ?Sized + Serialize>(&mut self, value: &T) -> Result<(), CellError> {
                value.serialize(self.again())
            }

            fn end(self) -> Result<(), CellError> {
                Ok(())
            }
        })*
    };
}

flat_elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field
);

impl ser::SerializeStruct for Cells<'_> {
    type Ok = ();
    type Error = CellError;

    fn serialize_field<T: ?Sized + Serialize>(
        &mut self,
        _: &'static str,
        value: &T,
    ) -> Result<(), CellError> {
        value.serialize(self.again())
    }

    fn end(self) -> Result<(), CellError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row<'a> {
        title: &'a str,
        count: u32,
        score: String,
        version: Option<&'a str>,
    }

    #[test]
    fn formulas_get_a_quote_and_numbers_do_not() {
        set_raw(false);
        let mut out = CsvRows::new();
        for title in [
            "=HYPERLINK(\"http://x\")",
            "+A1",
            "-x",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "ok",
        ] {
            out.write_row(&Row {
                title,
                count: 3,
                score: "-0.500000".into(),
                version: None,
            })
            .unwrap();
        }
        let text = String::from_utf8(out.into_bytes()).unwrap();
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\")\",3,-0.500000,\n'+A1,3,-0.500000,\n'-x,3,-0.500000,\n\
             '@SUM(A1),3,-0.500000,\n'\tx,3,-0.500000,\n\"'\rx\",3,-0.500000,\nok,3,-0.500000,\n"
        );
    }

    #[test]
    fn cells_are_quoted_as_the_csv_crate_quotes_them() {
        let cells = [
            "",
            "plain",
            "a,b",
            "say \"hi\"",
            "\"",
            "\"\"",
            "line\nbreak",
            "carriage\rreturn",
            "crlf\r\n",
            "tab\tinside",
            " spaced ",
            "日本語, カンマ",
            "#hash",
            "'quote'",
            "=1+1",
        ];
        let mut ours = CsvRows::new();
        let mut theirs = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for cell in cells {
            let row = ["first", cell, "last"];
            ours.write_record(&row);
            theirs.write_record(row).unwrap();
            ours.write_record(&[cell, "second", cell]);
            theirs.write_record([cell, "second", cell]).unwrap();
        }
        assert_eq!(
            String::from_utf8(ours.into_bytes()).unwrap(),
            String::from_utf8(theirs.into_inner().unwrap()).unwrap()
        );
    }
}
