package io.routeagent.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Collects the problems of one load. Parsing goes on after a problem so that the operator sees them
 * all at once; past {@link #LIMIT} only a count is kept, since a file that broken is best fixed
 * from the top. Counting the rest costs little: a route is read in about a microsecond; so does
 * counting them by kind ({@link ConfigProblem#kind()}), which lets a report say what the rest are.
 */
final class Problems {
  static final int LIMIT = 50;

  private final int limit;
  private final List<ConfigProblem> list = new ArrayList<>();
  private final Map<String, Integer> omittedKinds = new LinkedHashMap<>();
  private int omitted;

  Problems() {
    this(LIMIT);
  }

  /** @param limit how many problems to keep in full; past it only their kinds are counted */
  Problems(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be positive: " + limit);
    }
    this.limit = limit;
  }

  /** How many problems are kept in full. */
  int limit() {
    return limit;
  }

  void add(ConfigProblem problem) {
    if (list.size() < limit) {
      list.add(problem);
    } else {
      omitted++;
      omittedKinds.merge(problem.kind(), 1, Integer::sum);
    }
  }

  void add(Location location, String message, String hint) {
    add(new ConfigProblem(location, message, hint));
  }

  /** Adds the problems another collection found, as if they had been added here in turn. */
  void addAll(Problems other) {
    other.list.forEach(this::add);
    omitted += other.omitted;
    other.omittedKinds.forEach((kind, count) -> omittedKinds.merge(kind, count, Integer::sum));
  }

  void throwIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list, omitted, false, omittedKinds);
    }
  }

  /** As {@link #throwIfAny}, for problems of the policy: see {@link ConfigException#failClosed}. */
  void throwFailClosedIfAny() throws ConfigException {
    if (!list.isEmpty()) {
      throw new ConfigException(list, omitted, true, omittedKinds);
    }
  }
}
