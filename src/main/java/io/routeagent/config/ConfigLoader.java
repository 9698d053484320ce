package io.routeagent.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads and validates the routes file and its drop-ins. Nothing is returned unless everything is
 * valid: a config with any problem is refused as a whole, so that the last good one stays in force.
 */
public final class ConfigLoader {
  /** The directory of drop-ins beside the routes file. */
  public static final String DROP_IN_DIR = "routes.d";

  /** Where the administrator's policy comes from; read at every load, so that edits take effect. */
  public interface PolicySource {
    /**
     * The policy in force, {@link Policy#NONE} if there is none.
     *
     * @throws ConfigException when it is not trusted or not valid; then nothing may be applied
     */
    Policy load() throws ConfigException;
  }

  private final TableNames tables;
  private final PolicySource policy;

  /** A loader without a policy: the guard rails alone limit the file. */
  public ConfigLoader(TableNames tables) {
    this(tables, () -> Policy.NONE);
  }

  /**
   * @param policy read at each {@link #load}, before the routes file: the one place where every
   *     command (check, plan, apply, status, run) is held to the administrator's policy
   */
  public ConfigLoader(TableNames tables, PolicySource policy) {
    this.tables = tables;
    this.policy = policy;
  }

  /** The drop-in directory of a routes file, for whoever watches it for changes. */
  public static Path dropInDirectory(Path configFile) {
    return configFile.resolveSibling(DROP_IN_DIR);
  }

  /**
   * Loads {@code configFile} and every {@code *.yaml} in {@code routes.d/} beside it, in name
   * order. A missing drop-in directory is fine; a missing routes file is not.
   *
   * <p>The policy is read first: when it is not trusted or not valid, that is the only problem
   * reported ({@link ConfigException#failClosed}). Entries outside it are problems of the routes
   * file, at the entry.
   *
   * @throws ConfigException listing every problem found, in all the files
   */
  public DesiredConfig load(Path configFile) throws ConfigException {
    Policy inForce = policy.load();
    Problems problems = new Problems();
    List<Path> files = new ArrayList<>();
    files.add(configFile);
    files.addAll(dropIns(dropInDirectory(configFile), problems));
    List<RouteSpec> routes = new ArrayList<>();
    List<RuleSpec> rules = new ArrayList<>();
    for (Path file : files) {
      String name = file.toString();
      read(file, problems).ifPresent(text -> routes.addAll(parse(name, text, problems, rules)));
    }
    DuplicateRoutes.check(routes, problems);
    DuplicateRules.check(rules, problems);
    inForce.check(routes, rules, problems);
    problems.throwIfAny();
    return new DesiredConfig(routes, files, rules, inForce);
  }

  /**
   * Parses one document given as text, named {@code fileName} in messages.
   *
   * @throws ConfigException listing every problem found
   */
  public DesiredConfig parse(String fileName, String text) throws ConfigException {
    Problems problems = new Problems();
    List<RuleSpec> rules = new ArrayList<>();
    List<RouteSpec> routes = parse(fileName, text, problems, rules);
    DuplicateRoutes.check(routes, problems);
    DuplicateRules.check(rules, problems);
    problems.throwIfAny();
    return new DesiredConfig(routes, List.of(), rules);
  }

  /** The routes of one document; its rules are added to {@code rules}. */
  private List<RouteSpec> parse(String fileName, String text, Problems problems, List<RuleSpec> rules) {
    if (text.length() <= YamlReader.MAX_SIZE) {
      Optional<List<RouteSpec>> streamed = RouteStream.read(fileName, text, tables, problems);
      if (streamed.isPresent()) {
        return streamed.get();
      }
    }
    return YamlReader.compose(fileName, text, problems)
        .map(root -> {
          DocumentReader reader = new DocumentReader(fileName, tables, problems);
          List<RouteSpec> routes = reader.read(root);
          rules.addAll(reader.rules());
          return routes;
        })
        .orElse(List.of());
  }

  /**
   * The drop-ins in name order. Hidden files are skipped: editors and tools that write files
   * atomically leave their temporary files there under a leading dot.
   */
  private static List<Path> dropIns(Path dir, Problems problems) {
    if (!Files.isDirectory(dir)) {
      if (Files.exists(dir)) {
        problems.add(
            ConfigProblem.ofFile(
                dir.toString(),
                "this is not a directory",
                "Remove it, or make it a directory of *.yaml drop-in files."));
      }
      return List.of();
    }
    try (Stream<Path> entries = Files.list(dir)) {
      return entries
          .filter(
              p -> {
                String name = p.getFileName().toString();
                return name.endsWith(".yaml") && !name.startsWith(".") && Files.isRegularFile(p);
              })
          .sorted(Comparator.comparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      problems.add(
          ConfigProblem.ofFile(
              dir.toString(), "cannot list the drop-in directory: " + reason(e), null));
      return List.of();
    }
  }

  private static Optional<String> read(Path file, Problems problems) {
    String name = file.toString();
    byte[] bytes;
    // Read at most one byte past the limit: an endless or huge file costs no more than that.
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(YamlReader.MAX_SIZE + 1);
    } catch (NoSuchFileException e) {
      problems.add(
          ConfigProblem.ofFile(
              name,
              "the file does not exist",
              "Create it: `routes: []` declares no routes, and `route-agent import` turns `ip"
                  + " route` lines from a lifecycle script into one."));
      return Optional.empty();
    } catch (IOException e) {
      problems.add(ConfigProblem.ofFile(name, "cannot read the file: " + reason(e), null));
      return Optional.empty();
    }
    if (bytes.length > YamlReader.MAX_SIZE) {
      problems.add(YamlReader.tooLarge(name));
      return Optional.empty();
    }
    return SourceText.decode(name, bytes, problems);
  }

  /** The cause in words, without the exception's class name or the path again. */
  private static String reason(IOException e) {
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof FileSystemException f && f.getReason() != null) {
      return f.getReason();
    }
    return String.valueOf(e.getMessage());
  }
}
