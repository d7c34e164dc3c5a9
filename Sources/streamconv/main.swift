// streamconv: a Unix filter that converts between streaming encodings.
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

signal(SIGPIPE, SIG_IGN) // a closed stdout shows up as EPIPE, which ends the run quietly
var tool = Tool(calls: LiveSystemCalls())
exit(tool.main(Array(CommandLine.arguments.dropFirst())).rawValue)
