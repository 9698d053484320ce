package io.routeagent.testing;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a program to completion for a test: its exit status and its output (stdout and stderr). */
public final class Commands {
  private Commands() {}

  public record Result(int status, String output) {}

  public static Result run(List<String> command) {
    return run(command, Map.of(), false);
  }

  /** {@code clearEnv} starts from an empty environment; the command may take up to 120 s. */
  public static Result run(List<String> command, Map<String, String> env, boolean clearEnv) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      if (clearEnv) {
        builder.environment().clear();
      }
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        fail("`" + String.join(" ", command) + "` did not finish within 120 s");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return new Result(127, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
