import Logging

func makeLogger(level: String) -> Logger {
    var logger = Logger(label: "skein")
    logger.logLevel = Logger.Level(rawValue: level.lowercased()) ?? .info
    return logger
}
