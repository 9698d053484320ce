package io.routeagent.daemon;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.core.Appender;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log copy beside the routes file, which users read from Jupyter: one line per event, whatever
 * the user's text in it holds.
 */
class FileLogTest {
  @TempDir Path dir;

  @AfterEach
  void detach() {
    ch.qos.logback.classic.Logger root = ((LoggerContext) LoggerFactory.getILoggerFactory())
        .getLogger(Logger.ROOT_LOGGER_NAME);
    Appender<?> file = root.getAppender("file");
    if (file != null) {
      root.detachAppender("file");
      file.stop();
    }
  }

  @Test
  void aMessageWithANewlineAndAPriorityPrefixIsOneLine() throws IOException {
    Path log = dir.resolve("logs/route-agent.log");
    FileLog.attach(log, true);

    LoggerFactory.getLogger(FileLogTest.class).error("invalid config, the last good one stays in force: {}",
        "routes.yaml:3:49: interface name \"eth2\n<2>sshd[1]: FORGED root login\u001b[2J\" is 51 bytes long");
    LoggerFactory.getLogger(FileLogTest.class).info("next");

    List<String> lines = Files.readAllLines(log);
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0)).endsWith(" ERROR invalid config, the last good one stays in force: routes.yaml:3:49:"
        + " interface name \"eth2\\n<2>sshd[1]: FORGED root login\\x1b[2J\" is 51 bytes long");
    assertThat(lines.get(1)).endsWith(" INFO  next");
    assertThat(Files.readString(log).chars().filter(c -> c != '\n' && c < 0x20)).isEmpty();
  }
}
