package io.routeagent.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The merged, validated content of the routes file and its {@code routes.d/*.yaml} drop-ins.
 *
 * @param routes the routes, in file order
 * @param files the files read
 * @param rules the policy rules, in file order
 * @param policy the administrator's policy that the routes and rules were checked against, {@link
 *     Policy#NONE} when none is in force; {@code policy().adopt()} says whether routes of other
 *     owners may be adopted
 * @param skipped the empty drop-ins that were skipped as being written (see {@link
 *     ConfigLoader#load(Path, java.util.Collection)}); not among {@code files}
 * @param unterminated the files whose last line has no end of line: that line may be cut, the
 *     file still being written
 */
public record DesiredConfig(
    List<RouteSpec> routes,
    List<Path> files,
    List<RuleSpec> rules,
    Policy policy,
    List<Path> skipped,
    List<Path> unterminated) {
  public DesiredConfig {
    routes = List.copyOf(routes);
    files = List.copyOf(files);
    rules = List.copyOf(rules);
    java.util.Objects.requireNonNull(policy, "policy");
    skipped = List.copyOf(skipped);
    unterminated = List.copyOf(unterminated);
  }

  /** A config with no drop-in skipped. */
  public DesiredConfig(List<RouteSpec> routes, List<Path> files, List<RuleSpec> rules, Policy policy) {
    this(routes, files, rules, policy, List.of(), List.of());
  }

  /**
   * Whether the two declare the same: the same routes, rules and files under the same policy. The
   * empty drop-ins skipped and the ends of lines do not count: they declare nothing.
   */
  public boolean declaresTheSameAs(DesiredConfig other) {
    return other != null
        && routes.equals(other.routes)
        && files.equals(other.files)
        && rules.equals(other.rules)
        && policy.equals(other.policy);
  }

  /** A config read without a policy. */
  public DesiredConfig(List<RouteSpec> routes, List<Path> files, List<RuleSpec> rules) {
    this(routes, files, rules, Policy.NONE);
  }

  /** A config without rules. */
  public DesiredConfig(List<RouteSpec> routes, List<Path> files) {
    this(routes, files, List.of());
  }
}
