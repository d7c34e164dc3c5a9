// StreamCodec: the library's public module. It is the codec layer (StreamCodecCore: records,
// decoders, encoders, the driver, the converter, the format registry), re-exported, plus the
// AsyncSequence adapters that bring it into Swift concurrency. The command-line tool links only
// the core, so it carries no concurrency runtime.
@_exported import StreamCodecCore
