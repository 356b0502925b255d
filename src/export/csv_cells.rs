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

/// Writes one row: the row type's fields, each a cell, neutralised unless
/// `--raw-csv`. Cells go straight to the writer, a field at a time: the
/// record tables write millions of them.
pub fn write_row<W: std::io::Write, R: Serialize>(
    out: &mut csv::Writer<W>,
    row: &R,
) -> csv::Result<()> {
    if RAW.load(Ordering::Relaxed) {
        return out.serialize(row);
    }
    // One scratch per thread for the digits: the record tables write
    // millions of rows, each with numbers.
    thread_local! {
        static NUMBER: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    NUMBER.with(|number| {
        let mut number = number.borrow_mut();
        row.serialize(Cells {
            out: &mut *out,
            number: &mut number,
        })
        .map_err(|e| csv::Error::from(std::io::Error::other(e.0)))
    })?;
    out.write_record(None::<&[u8]>)
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

#[derive(Debug)]
struct CellError(String);

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

/// Writes a flat row's fields as cells, as the csv crate would write them.
struct Cells<'a, W: std::io::Write> {
    out: &'a mut csv::Writer<W>,
    /// Scratch for a number's digits.
    number: &'a mut String,
}

impl<W: std::io::Write> Cells<'_, W> {
    fn text(self, text: &str) -> Result<(), CellError> {
        self.out
            .write_field(neutralised(text).as_bytes())
            .map_err(|e| CellError(e.to_string()))
    }

    /// A number is never a formula: written as it is.
    fn number(self, value: impl std::fmt::Display) -> Result<(), CellError> {
        use std::fmt::Write as _;
        self.number.clear();
        let _ = write!(self.number, "{value}");
        self.out
            .write_field(self.number.as_bytes())
            .map_err(|e| CellError(e.to_string()))
    }

    fn again(&mut self) -> Cells<'_, W> {
        Cells {
            out: &mut *self.out,
            number: &mut *self.number,
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

impl<'a, W: std::io::Write> ser::Serializer for Cells<'a, W> {
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
    // The csv crate writes floats with ryu; the tables format their own,
    // as Display does (a negative number is a number, not a formula).
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
        $(impl<W: std::io::Write> ser::$trait for Cells<'_, W> {
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

impl<W: std::io::Write> ser::SerializeStruct for Cells<'_, W> {
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
        let mut out = csv::WriterBuilder::new()
            .has_headers(false)
            .from_writer(Vec::new());
        for title in [
            "=HYPERLINK(\"http://x\")",
            "+A1",
            "-x",
            "@SUM(A1)",
            "\tx",
            "\rx",
            "ok",
        ] {
            write_row(
                &mut out,
                &Row {
                    title,
                    count: 3,
                    score: "-0.500000".into(),
                    version: None,
                },
            )
            .unwrap();
        }
        let text = String::from_utf8(out.into_inner().unwrap()).unwrap();
        assert_eq!(
            text,
            "\"'=HYPERLINK(\"\"http://x\"\")\",3,-0.500000,\n'+A1,3,-0.500000,\n'-x,3,-0.500000,\n\
             '@SUM(A1),3,-0.500000,\n'\tx,3,-0.500000,\n\"'\rx\",3,-0.500000,\nok,3,-0.500000,\n"
        );
    }
}
