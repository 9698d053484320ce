package io.routeagent.config;

import java.util.List;
import java.util.stream.Collectors;

/** A routes file (or one of its drop-ins) is invalid; carries every problem found. */
public final class ConfigException extends Exception {
  private final List<ConfigProblem> problems;
  private final int omitted;

  public ConfigException(List<ConfigProblem> problems) {
    this(problems, 0);
  }

  /**
   * @param problems the problems reported, in file order
   * @param omitted how many more were found but left out to keep the report readable
   */
  public ConfigException(List<ConfigProblem> problems, int omitted) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigException needs at least one problem");
    }
    if (omitted < 0) {
      throw new IllegalArgumentException("omitted must not be negative: " + omitted);
    }
    this.problems = List.copyOf(problems);
    this.omitted = omitted;
  }

  public List<ConfigProblem> problems() {
    return problems;
  }

  /** The number of problems found beyond those in {@link #problems()}. */
  public int omitted() {
    return omitted;
  }

  /** One problem per line, as {@code FILE:LINE:COL: message. hint}. */
  @Override
  public String getMessage() {
    String lines = problems.stream().map(ConfigProblem::toString).collect(Collectors.joining("\n"));
    return omitted == 0 ? lines : lines + "\n(" + omitted + " more problems not shown)";
  }
}
