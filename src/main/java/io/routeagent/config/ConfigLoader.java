package io.routeagent.config;

import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.FileContent;
import io.routeagent.kernel.FileStatus;
import io.routeagent.kernel.UserDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Reads and validates the routes file and its drop-ins. Nothing is returned unless everything is
 * valid: a config with any problem is refused as a whole, so that the last good one stays in force.
 */
public final class ConfigLoader {
  /** The directory of drop-ins beside the routes file. */
  public static final String DROP_IN_DIR = "routes.d";

  /** The largest routes file or drop-in read, in bytes. */
  public static final int MAX_FILE_SIZE = 8 << 20;

  /**
   * The most bytes read from the routes file and its drop-ins together: without it, a thousand
   * drop-ins of {@link #MAX_FILE_SIZE} (sparse, a few kilobytes on disk) kept one load busy for
   * 40 s, and the daemon's loop with it. 100,000 one-line routes are ~4.6 MB.
   */
  public static final int MAX_TOTAL_SIZE = 2 * MAX_FILE_SIZE;

  /** The most routes and rules that all the files together may declare. */
  public static final int MAX_ENTRIES = 100_000;

  /** The most *.yaml drop-ins read from routes.d/. */
  public static final int MAX_DROP_INS = 1_000;

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
  /** How many problems a {@link ConfigException} lists in full; the rest are counted by kind. */
  private final int problemLimit;

  /** A loader without a policy: the guard rails alone limit the file. */
  public ConfigLoader(TableNames tables) {
    this(tables, () -> Policy.NONE);
  }

  /**
   * @param policy read at each {@link #load}, before the routes file: the one place where every
   *     command (check, plan, apply, status, run) is held to the administrator's policy
   */
  public ConfigLoader(TableNames tables, PolicySource policy) {
    this(tables, policy, Problems.LIMIT);
  }

  private ConfigLoader(TableNames tables, PolicySource policy, int problemLimit) {
    this.tables = tables;
    this.policy = policy;
    this.problemLimit = problemLimit;
  }

  /**
   * This loader, listing every problem in full instead of the first {@value Problems#LIMIT} (for
   * {@code check --all}): a file of 100,000 bad entries then takes some 30 MB while reported.
   */
  public ConfigLoader everyProblem() {
    return new ConfigLoader(tables, policy, Integer.MAX_VALUE);
  }

  /** The drop-in directory of a routes file, for whoever watches it for changes. */
  public static Path dropInDirectory(Path configFile) {
    return configFile.resolveSibling(DROP_IN_DIR);
  }

  /**
   * Loads {@code configFile} and every {@code *.yaml} in {@code routes.d/} beside it, in name
   * order. A missing drop-in directory is fine; a missing routes file is not.
   *
   * <p>The directory belongs to a user without privileges, so each file is read through {@link
   * UserDirectory} (no link followed, regular files only, the size checked on the open file before
   * reading) and the load is bounded before anything is decoded: {@link #MAX_FILE_SIZE} per file,
   * {@link #MAX_TOTAL_SIZE} in all, {@link #MAX_DROP_INS} drop-ins, {@link #MAX_ENTRIES} routes and
   * rules in all (the files after the one that passes either total are not read), and {@link GuardedParser#MAX_NODES} YAML nodes in a file
   * that is not of the usual shape. Under these caps a load fits the launcher's default heap.
   *
   * <p>The policy is read first: when it is not trusted or not valid, that is the only problem
   * reported ({@link ConfigException#failClosed}). Entries outside it are problems of the routes
   * file, at the entry.
   *
   * <p>With no configuration in force to compare with (the one-shot commands, the daemon's start),
   * every empty drop-in is skipped: see {@link #load(Path, Collection)}.
   *
   * @throws ConfigException listing every problem found, in all the files
   */
  public DesiredConfig load(Path configFile) throws ConfigException {
    return load(configFile, List.of());
  }

  /**
   * As {@link #load(Path)}, knowing which files the configuration in force was read from.
   *
   * <p>An empty drop-in (zero bytes, or only blank lines and comments) that is not among {@code
   * inForce} is skipped and listed in {@link DesiredConfig#skipped()}: it is being written (an
   * editor's "New File", or one just created), and it declared nothing before either. One that is
   * among them is an error, as an empty routes file always is: its routes are in force, and a file
   * cut to nothing is the half-written case that must never prune them.
   *
   * @param inForce the {@link DesiredConfig#files()} of the configuration in force, empty when
   *     there is none
   * @throws ConfigException listing every problem found, in all the files
   */
  public DesiredConfig load(Path configFile, Collection<Path> inForce) throws ConfigException {
    return load(configFile, inForce, null).orElseThrow();
  }

  /**
   * What the last {@link #loadIfChanged} read: a digest of the files' names and bytes (and of what
   * kept any from being read, and of whether each empty drop-in was in force), and the policy. Each load records
   * here, whether its files were valid or not.
   */
  public static final class LastRead {
    private byte[] digest;
    private Policy policy;

    /** The next load parses whatever it reads, as if none had been recorded. */
    public void forget() {
      digest = null;
    }
  }

  /**
   * As {@link #load(Path, Collection)}, or empty when the files hold the same bytes as at the last
   * load recorded in {@code last}, under the same policy and the same files in force: that load's
   * outcome stands, and nothing is parsed. The files are read once, whole, before anything is
   * parsed: a routes file of 100,000 entries takes about 0.5 s to parse, and its owner can rewrite
   * it as often as they like.
   */
  public Optional<DesiredConfig> loadIfChanged(Path configFile, Collection<Path> inForce, LastRead last)
      throws ConfigException {
    return load(configFile, inForce, java.util.Objects.requireNonNull(last));
  }

  /**
   * The load; with {@code last} null (a one-shot command: nothing to compare with, ever) nothing is
   * digested, which would cost a cold JVM 30-100 ms for a file of 100,000 routes.
   */
  private Optional<DesiredConfig> load(Path configFile, Collection<Path> inForce, LastRead last)
      throws ConfigException {
    Policy limits;
    try {
      limits = policy.load();
    } catch (ConfigException e) {
      if (last != null) {
        last.digest = null; // nothing was read: the next load parses whatever it finds
      }
      throw e;
    }
    Load load = new Load(Set.copyOf(inForce), last != null);
    Path absolute = configFile.toAbsolutePath();
    try (UserDirectory directory = UserDirectory.open(absolute.getParent())) {
      if (load.file(directory, absolute.getFileName().toString(), configFile, false)) {
        load.dropIns(directory, dropInDirectory(configFile));
      }
    } catch (FileAccessException e) {
      load.unreadable(e.path().toString(), e.reason());
    }
    if (last != null) {
      byte[] digest = load.digest.digest();
      if (limits.equals(last.policy) && MessageDigest.isEqual(digest, last.digest)) {
        return Optional.empty();
      }
      last.digest = digest;
      last.policy = limits;
    }
    load.parse();
    DuplicateRoutes.check(load.routes, load.problems);
    DuplicateRules.check(load.rules, load.problems);
    GuardRails.checkExposedTables(load.routes, load.rules, load.problems);
    limits.check(load.routes, load.rules, load.problems);
    load.problems.throwIfAny();
    return Optional.of(new DesiredConfig(load.routes, load.files, load.rules, limits, load.skipped, load.unterminated));
  }

  /**
   * Parses one document given as text, named {@code fileName} in messages.
   *
   * @throws ConfigException listing every problem found
   */
  public DesiredConfig parse(String fileName, String text) throws ConfigException {
    Problems problems = new Problems(problemLimit);
    List<RuleSpec> rules = new ArrayList<>();
    List<RouteSpec> routes = parse(fileName, text, problems, rules);
    DuplicateRoutes.check(routes, problems);
    DuplicateRules.check(rules, problems);
    GuardRails.checkExposedTables(routes, rules, problems);
    problems.throwIfAny();
    List<Path> unterminated = !text.isEmpty() && !text.endsWith("\n") ? List.of(Path.of(fileName)) : List.of();
    return new DesiredConfig(routes, List.of(), rules, Policy.NONE, List.of(), unterminated);
  }

  /** The routes of one document; its rules are added to {@code rules}. */
  private List<RouteSpec> parse(String fileName, String text, Problems problems, List<RuleSpec> rules) {
    if (text.length() <= MAX_FILE_SIZE) {
      Optional<List<RouteSpec>> streamed = OneLineRoutes.read(fileName, text, tables, problems)
          .or(() -> RouteStream.read(fileName, text, tables, problems));
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
   * One file as read, with the problems of its reading; or, with no name, a problem of the
   * directory. They are parsed, and their problems reported, in this order.
   */
  private record Read(String label, Optional<String> text, Problems problems) {}

  /** What one {@link #load} has read so far, and then parsed. */
  private final class Load {
    final Problems problems = new Problems(problemLimit);
    final List<Read> reads = new ArrayList<>();
    /** Every name read and its bytes, or why it could not be read ({@link LastRead}); null when not kept. */
    final MessageDigest digest;
    final List<Path> files = new ArrayList<>();
    final List<RouteSpec> routes = new ArrayList<>();
    final List<RuleSpec> rules = new ArrayList<>();
    final List<Path> skipped = new ArrayList<>();
    final List<Path> unterminated = new ArrayList<>();
    /** Bytes read so far, held to {@link #MAX_TOTAL_SIZE}. */
    long bytesRead;
    /** A file would have taken the files read past {@link #MAX_TOTAL_SIZE}: no more are read. */
    boolean overTotal;
    /** The files of the configuration in force. */
    final Set<Path> inForce;

    Load(Set<Path> inForce, boolean digesting) {
      this.inForce = inForce;
      this.digest = digesting ? sha256() : null;
    }

    private void digestString(String text) {
      digestBytes(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Its length, then the bytes: two files' bytes cannot run into each other. */
    private void digestBytes(byte[] bytes) {
      if (digest != null) {
        digest.update(java.nio.ByteBuffer.allocate(Long.BYTES).putLong(bytes.length).array());
        digest.update(bytes);
      }
    }

    /** A problem of the directory, not of a file: reported in its turn. */
    void unreadable(String label, String reason) {
      unreadable(label, reason, null);
    }

    void unreadable(String label, String reason, String hint) {
      digestString("!" + label + ": " + reason);
      Problems own = new Problems(problemLimit);
      own.add(ConfigProblem.ofFile(label, reason, hint));
      reads.add(new Read(null, Optional.empty(), own));
    }

    /**
     * Parses what was read, in order; the files after one that takes the entries past {@link
     * #MAX_ENTRIES} are not parsed, nor their problems reported.
     */
    void parse() {
      for (int i = 0; i < reads.size(); i++) {
        Read read = reads.set(i, null); // its text is not kept while the others are parsed
        problems.addAll(read.problems());
        read.text().ifPresent(t -> routes.addAll(ConfigLoader.this.parse(read.label(), t, problems, rules)));
        if (read.text().isPresent() && routes.size() + rules.size() > MAX_ENTRIES) {
          problems.add(
              ConfigProblem.ofFile(
                  read.label(),
                  "with this file the routes files declare more than " + MAX_ENTRIES
                      + " routes and rules, the limit",
                  "Declare fewer routes: a wider prefix often covers many. The files after this one"
                      + " were not read."));
          return;
        }
      }
    }

    /**
     * Reads one file, to be parsed by {@link #parse}; false once the files read pass {@link
     * #MAX_TOTAL_SIZE}.
     *
     * @param dropIn whether it is a drop-in, which may be skipped when empty
     */
    boolean file(UserDirectory directory, String name, Path shownAs, boolean dropIn) {
      String label = shownAs.toString();
      Problems own = new Problems(problemLimit);
      Optional<String> text = read(directory, name, label, own);
      if (overTotal) {
        reads.add(new Read(label, Optional.empty(), own));
        return false;
      }
      if (dropIn && text.isPresent() && isBlank(text.get())) {
        // The same bytes read otherwise under other files in force: an error, or skipped.
        digestString(inForce.contains(shownAs) ? "in force" : "not in force");
        if (!inForce.contains(shownAs)) {
          skipped.add(shownAs);
          return true;
        }
        files.add(shownAs);
        own.add(
            ConfigProblem.ofFile(
                label,
                "the file is empty, and its routes are in force",
                "If it is being written, it is read again once it changes; to remove its routes,"
                    + " write `routes: []` in it or delete it."));
        reads.add(new Read(label, Optional.empty(), own));
        return true;
      }
      files.add(shownAs);
      if (text.isPresent() && !text.get().isEmpty() && !text.get().endsWith("\n")) {
        unterminated.add(shownAs);
      }
      reads.add(new Read(label, text, own));
      return true;
    }

    /**
     * Reads the drop-ins in name order. Hidden files are skipped: editors and tools that write
     * files atomically leave their temporary files there under a leading dot.
     */
    void dropIns(UserDirectory parent, Path dropIns) {
      String dirName = dropIns.getFileName().toString();
      try {
        Optional<FileStatus> status = parent.statusOf(dirName);
        if (status.isEmpty()) {
          return;
        }
        if (!status.get().isDirectory()) {
          unreadable(dropIns.toString(), "it is " + status.get().kind() + ", not a directory",
              "Remove it, or make it a directory of *.yaml drop-in files.");
          return;
        }
        try (UserDirectory directory = parent.directory(dirName)) {
          List<String> names =
              directory.names().stream()
                  .filter(name -> name.endsWith(".yaml") && !name.startsWith("."))
                  .sorted()
                  .toList();
          if (names.size() > MAX_DROP_INS) {
            unreadable(dropIns.toString(), "it holds " + names.size() + " *.yaml files, more than the limit of "
                + MAX_DROP_INS, "Merge some of them; none was read.");
            return;
          }
          for (String name : names) {
            if (!file(directory, name, dropIns.resolve(name), true)) {
              return;
            }
          }
        }
      } catch (FileAccessException e) {
        unreadable(dropIns.toString(), e.reason());
      }
    }

    /**
     * One file's text, or empty with the problem added. Each file may take what {@link
     * #MAX_TOTAL_SIZE} leaves, up to {@link #MAX_FILE_SIZE}; one that would pass the total is not
     * read, and sets {@link #overTotal}.
     */
    private Optional<String> read(UserDirectory directory, String fileName, String shownAs,
        Problems problems) {
      long room = MAX_TOTAL_SIZE - bytesRead;
      int cap = (int) Math.min(MAX_FILE_SIZE, room);
      FileContent content;
      digestString(shownAs);
      try {
        content = directory.read(fileName, cap);
      } catch (FileAccessException e) {
        digestString("!" + e.kind() + ": " + e.reason());
        if (e.kind() == FileAccessException.Kind.MISSING) {
          problems.add(
              ConfigProblem.ofFile(
                  shownAs,
                  "the file does not exist",
                  "Create it: `routes: []` declares no routes, and `route-agent import` turns `ip"
                      + " route` lines from a lifecycle script into one."));
        } else if (e.kind() == FileAccessException.Kind.TOO_LARGE && cap < MAX_FILE_SIZE) {
          overTotal = true;
          problems.add(
              ConfigProblem.ofFile(
                  shownAs,
                  "with this file the routes files hold more than " + FileContent.describeSize(MAX_TOTAL_SIZE)
                      + " in all, the limit",
                  "Declare fewer routes, or merge drop-ins that repeat each other. The files after"
                      + " this one were not read."));
        } else if (e.kind() == FileAccessException.Kind.TOO_LARGE) {
          problems.add(
              ConfigProblem.ofFile(
                  shownAs, "the file " + e.reason().substring("it ".length()), YamlReader.SPLIT_HINT));
        } else {
          problems.add(ConfigProblem.ofFile(shownAs, e.reason(), null));
        }
        return Optional.empty();
      }
      bytesRead += content.bytes().length;
      digestBytes(content.bytes());
      return SourceText.decode(shownAs, content.bytes(), problems);
    }
  }

  /** Zero bytes, or only blank lines and comments: what an editor's new file holds. */
  static boolean isBlank(String text) {
    return text.lines().map(String::strip).allMatch(line -> line.isEmpty() || line.startsWith("#"));
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
