// Every file's record is built from many small strings on each core and
// freed soon after; jemalloc's per-thread caches and size classes keep
// that fast without the fragmentation glibc's allocator shows here.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> std::process::ExitCode {
    weeklygraph::cli::main()
}
