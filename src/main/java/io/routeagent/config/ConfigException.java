package io.routeagent.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** A routes file (or one of its drop-ins) is invalid; carries every problem found. */
public final class ConfigException extends Exception {
  private final List<ConfigProblem> problems;
  private final int omitted;
  private final boolean failClosed;
  private final Map<String, Integer> omittedKinds;

  public ConfigException(List<ConfigProblem> problems) {
    this(problems, 0);
  }

  public ConfigException(List<ConfigProblem> problems, int omitted) {
    this(problems, omitted, false);
  }

  /**
   * @param problems the problems reported, in file order
   * @param omitted how many more were found but left out to keep the report readable
   * @param failClosed the administrator's policy could not be trusted or read: nothing may be
   *     applied or pruned, not even the last good config, until it is fixed
   */
  public ConfigException(List<ConfigProblem> problems, int omitted, boolean failClosed) {
    this(problems, omitted, failClosed, Map.of());
  }

  /**
   * @param omittedKinds the omitted problems counted by {@link ConfigProblem#kind()}; empty when
   *     not known
   */
  public ConfigException(
      List<ConfigProblem> problems, int omitted, boolean failClosed, Map<String, Integer> omittedKinds) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    if (omitted < 0) {
      throw new IllegalArgumentException("omitted must not be negative: " + omitted);
    }
    this.problems = List.copyOf(problems);
    this.omitted = omitted;
    this.failClosed = failClosed;
    this.omittedKinds = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(omittedKinds));
  }

  /**
   * True when the policy itself is the problem (not trusted, unreadable, invalid): then not even
   * the last good config may stay in force, since nothing says what is allowed.
   */
  public boolean failClosed() {
    return failClosed;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The number of problems found beyond those in {@link #problems()}. */
  public int omitted() {
    return omitted;
  }

  /**
   * The problems after the first {@code shown}, counted by kind, the most frequent first (ties in
   * the order first met), those omitted included when their kinds are known.
   */
  public Map<String, Integer> kindsAfter(int shown) {
    Map<String, Integer> kinds = new LinkedHashMap<>();
    for (ConfigProblem problem : problems.subList(Math.min(shown, problems.size()), problems.size())) {
      kinds.merge(problem.kind(), 1, Integer::sum);
    }
    omittedKinds.forEach((kind, count) -> kinds.merge(kind, count, Integer::sum));
    Map<String, Integer> sorted = new LinkedHashMap<>();
    kinds.entrySet().stream()
        .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
        .forEachOrdered(e -> sorted.put(e.getKey(), e.getValue()));
    return sorted;
  }

  /** One problem per line, as {@code FILE:LINE:COL: message. hint}. */
  @Override
  public String getMessage() {
    String lines = problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    return omitted == 0 ? lines : lines + "\n(" + omitted + " more problems not shown)";
  }
}
