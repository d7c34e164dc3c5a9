// The exit statuses of streamconv, documented in --help, README.md and Docs/CLI.md.

enum ExitStatus: Int32 {
    /// The whole input was converted (or the output ended at `[DONE]` or another end, or the reader of the
    /// output went away).
    case success = 0
    /// The input is invalid (bad JSON, a record over the limit, a record that cannot be
    /// written in the output format). Every record before the bad one was written.
    case invalidInput = 1
    /// The command line is wrong (unknown option or format, missing argument).
    case usage = 2
    /// The input ended inside a record (a JSON text or an SSE block cut off).
    case truncatedInput = 3
    /// Reading or writing failed (a file cannot be opened, a read or write error).
    case ioError = 4
}
