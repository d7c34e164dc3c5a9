import CMallocTuning

// streamconv: a Unix filter that converts between streaming encodings.
#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

// Large records' buffers (128 KiB and up) get their own mappings, returned to the system when
// freed, so peak RSS stays flat over a long stream of large records (see CMallocTuning.h).
_ = streamconv_set_mmap_threshold(128 * 1024)
signal(SIGPIPE, SIG_IGN) // a closed stdout shows up as EPIPE, which ends the run quietly
var tool = Tool(calls: LiveSystemCalls())
exit(tool.main(Array(CommandLine.arguments.dropFirst())).rawValue)
