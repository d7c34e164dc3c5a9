// Compile-time facts for --version: the Swift compiler that built streamconv and the platform.

enum BuildInfo {
    /// "Swift 6.3" (the newest language version the compiler reports, from `#if compiler`).
    static var swiftVersion: String {
        #if compiler(>=6.5)
            "Swift 6.5 or later"
        #elseif compiler(>=6.4)
            "Swift 6.4"
        #elseif compiler(>=6.3)
            "Swift 6.3"
        #elseif compiler(>=6.2)
            "Swift 6.2"
        #elseif compiler(>=6.1)
            "Swift 6.1"
        #else
            "Swift 6.0"
        #endif
    }

    /// "x86_64 Linux".
    static var platform: String { "\(architecture) \(system)" }

    static var architecture: String {
        #if arch(x86_64)
            "x86_64"
        #elseif arch(arm64)
            "arm64"
        #elseif arch(i386)
            "i386"
        #elseif arch(arm)
            "arm"
        #elseif arch(wasm32)
            "wasm32"
        #else
            "unknown-arch"
        #endif
    }

    static var system: String {
        #if os(Linux)
            "Linux"
        #elseif os(macOS)
            "macOS"
        #elseif os(Windows)
            "Windows"
        #elseif os(FreeBSD)
            "FreeBSD"
        #elseif os(Android)
            "Android"
        #else
            "unknown-os"
        #endif
    }
}
