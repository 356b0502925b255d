// Every file's record is built from many small strings on each core and
// freed soon after; jemalloc's per-thread caches and size classes keep
// that fast without the fragmentation glibc's allocator shows here.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

// A big corpus holds gigabytes of small entries (entities, series, pairs)
// made and visited in no order the memory knows. On 4 KB pages a 1 GB
// build takes 3 million page faults, each page zeroed on its own, and most
// visits miss the TLB; on transparent huge pages (2 MB) it takes a quarter
// of a million, and a third less system time. The price is about 15 MB
// more resident memory for a small corpus, as each arena's first huge
// page is touched. jemalloc's own metadata goes on huge pages only once it
// outgrows its first block ("auto"), which small builds never do.
// jemalloc reads this before its first allocation; the `_RJEM_MALLOC_CONF`
// environment variable still overrides it.
#[cfg(all(not(target_env = "msvc"), target_os = "linux"))]
#[unsafe(export_name = "_rjem_malloc_conf")]
static MALLOC_CONF: &[u8; 29] = b"thp:always,metadata_thp:auto\0";

fn main() -> std::process::ExitCode {
    weeklygraph::cli::main()
}
