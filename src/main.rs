// The pipeline allocates many small strings on every core at once;
// mimalloc's per-thread heaps keep that from contending on one lock.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    weeklygraph::cli::main()
}
