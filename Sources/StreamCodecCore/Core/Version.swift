// The package's version: the one place it is written (the CLI's --version reads it; the release
// procedure in CHANGELOG.md bumps it together with the tag).

/// The version of StreamCodec and streamconv.
public enum StreamCodecVersion {
    /// The release this source tree is, as `MAJOR.MINOR.PATCH` (semantic versioning).
    public static let current = "0.1.0"
}
