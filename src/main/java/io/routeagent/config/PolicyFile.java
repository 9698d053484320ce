package io.routeagent.config;

import io.routeagent.kernel.FileAccessException;
import io.routeagent.kernel.FileContent;
import io.routeagent.kernel.FileStatus;
import io.routeagent.kernel.UserDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The administrator's policy file, read afresh at each load so that an edit takes effect with the
 * next reload. It is trusted only as a regular file owned by root and writable by no one else, in
 * directories that only root can change (as OpenSSH's StrictModes checks a key file); otherwise
 * the load fails closed: nothing is applied or pruned until it is fixed.
 */
public final class PolicyFile implements ConfigLoader.PolicySource {
  /** Where the lifecycle script writes the policy. */
  public static final Path DEFAULT = Path.of("/etc/route-agent/policy.yaml");

  /** The largest policy accepted, in bytes: a policy is a few lines. */
  static final int MAX_SIZE = 64 * 1024;


  private final Path path;
  private final boolean required;
  private final TableNames tables;

  /**
   * @param path the policy file
   * @param required true when the path was given on purpose (--policy, ROUTE_AGENT_POLICY): then
   *     a missing file is an error; at the default path a missing file means no policy
   */
  public PolicyFile(Path path, boolean required, TableNames tables) {
    this.path = path;
    this.required = required;
    this.tables = tables;
  }

  public Path path() {
    return path;
  }

  /**
   * The policy in force: {@link Policy#NONE} when an optional file is absent.
   *
   * @throws ConfigException when the policy is not trusted, unreadable or invalid; {@link
   *     ConfigException#failClosed} is true
   */
  @Override
  public Policy load() throws ConfigException {
    String name = path.toString();
    Problems problems = new Problems();
    Optional<byte[]> bytes = read(problems);
    problems.throwFailClosedIfAny();
    if (bytes.isEmpty()) {
      return Policy.NONE;
    }
    Optional<String> text = SourceText.decode(name, bytes.get(), problems);
    problems.throwFailClosedIfAny();
    return Policy.parse(name, text.orElseThrow(), tables);
  }

  /**
   * What a refused policy leaves in force, and what ends it. A way to fix it is given only where
   * it fits: chown and chmod suit a regular file with the wrong owner or mode, and would do harm
   * to a directory named by mistake or to a directory on the way (a home directory).
   */
  private static String failsClosedUntil(String what) {
    return "Nothing is applied or pruned until " + what + ".";
  }

  /** The bytes of the policy, or empty when an optional one is absent; problems otherwise. */
  private Optional<byte[]> read(Problems problems) {
    String name = path.toString();
    Path absolute = path.toAbsolutePath();
    for (Path dir = absolute.getParent(); dir != null; dir = dir.getParent()) {
      Optional<String> why;
      try {
        Map<String, Object> a = Files.readAttributes(dir, "unix:uid,mode");
        why = distrustDirectory((Integer) a.get("uid"), (Integer) a.get("mode"));
      } catch (NoSuchFileException e) {
        continue; // a missing directory holds no policy; its parent is what matters
      } catch (IOException e) {
        problems.add(ConfigProblem.ofFile(name, "the policy is not trusted: directory " + dir
            + " cannot be checked: " + FileAccessException.describe(e), failsClosedUntil("this is fixed")));
        return Optional.empty();
      }
      if (why.isPresent()) {
        problems.add(ConfigProblem.ofFile(name, "the policy is not trusted: directory " + dir + " " + why.get(),
            failsClosedUntil("the policy is in directories only root can change, as " + DEFAULT.getParent())));
        return Optional.empty();
      }
    }
    try (UserDirectory directory = UserDirectory.open(absolute.getParent())) {
      FileContent content = directory.read(absolute.getFileName().toString(), MAX_SIZE);
      Optional<String> why = distrust(content.status().uid(), content.status().mode());
      if (why.isPresent()) {
        problems.add(ConfigProblem.ofFile(name, "the policy is not trusted: " + why.get(),
            failsClosedUntil("the policy is root's and writable by root alone (chown root:root " + absolute
                + "; chmod 0644 " + absolute + ")")));
        return Optional.empty();
      }
      return Optional.of(content.bytes());
    } catch (FileAccessException e) {
      if (e.kind() == FileAccessException.Kind.MISSING) {
        if (required) {
          problems.add(ConfigProblem.ofFile(name, "the policy file does not exist",
              "Write it, or leave --policy and ROUTE_AGENT_POLICY unset to use " + DEFAULT
                  + " when it exists."));
        }
        return Optional.empty();
      }
      problems.add(ConfigProblem.ofFile(name, "the policy is not trusted: " + e.reason(),
          failsClosedUntil("this is fixed")));
      return Optional.empty();
    }
  }

  /**
   * Why a policy file with this owner and mode ({@code st_uid} and {@code st_mode} as stat(2)
   * gives them, file type bits included) is not trusted, or empty when it is: it must be a
   * regular file owned by root (uid 0) and writable by neither its group nor others.
   */
  public static Optional<String> distrust(int uid, int mode) {
    FileStatus status = new FileStatus(mode, uid, 0);
    if (!status.isRegularFile()) {
      return Optional.of("it is " + status.kind() + ", not a regular file");
    }
    if (uid != 0) {
      return Optional.of("it is owned by uid " + Integer.toUnsignedString(uid) + ", not root");
    }
    if (status.writableByOthers()) {
      return Optional.of("it is writable by its group or others (mode " + status.permissions() + ")");
    }
    return Optional.empty();
  }

  /**
   * Why a directory on the way to the policy, with this owner and mode, is not trusted: whoever
   * may change it could replace or remove the policy. Root must own it; a directory others may
   * write is fine only with the sticky bit (as /tmp), which keeps them from removing root's files.
   */
  public static Optional<String> distrustDirectory(int uid, int mode) {
    FileStatus status = new FileStatus(mode, uid, 0);
    if (!status.isDirectory()) {
      return Optional.of("is " + status.kind() + ", not a directory");
    }
    if (uid != 0) {
      return Optional.of("is owned by uid " + Integer.toUnsignedString(uid) + ", not root");
    }
    if (status.writableByOthers() && !status.isSticky()) {
      return Optional.of("is writable by its group or others (mode " + status.permissions() + ")");
    }
    return Optional.empty();
  }
}
