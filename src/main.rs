fn main() -> std::process::ExitCode {
    trailmark::cli::main()
}
