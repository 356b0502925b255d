fn main() -> std::process::ExitCode {
    weeklygraph::cli::main()
}
