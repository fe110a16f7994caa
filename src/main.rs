fn main() -> std::process::ExitCode {
    trailmark::run()
}
