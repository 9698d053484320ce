package io.routeagent.status;

import io.routeagent.config.Printable;
import io.routeagent.reconcile.RouteState;
import io.routeagent.reconcile.RuleState;
import io.routeagent.reconcile.RuleStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The daemon's status page (GET / on the metrics address): what a notebook user opens through
 * Jupyter's proxy (https://NOTEBOOK/proxy/9469/) instead of a journal they cannot read.
 *
 * <p>One self-contained document: inline CSS and SVG, no script, no external asset (a notebook may
 * have no internet), only relative links (it is served under the proxy's path prefix), a refresh
 * every few seconds, and a layout that fits a narrow window. Read-only: nothing on it acts. Every
 * text from the routes file is escaped: the file is written by a user without privileges, the
 * page is read by others.
 */
public final class StatusPage {
  /** Seconds between the page's refreshes. */
  static final int REFRESH = 5;
  /** Rows per table: a page for 100,000 routes would be megabytes; status.json has every one. */
  static final int ROWS = 500;

  private StatusPage() {}

  /**
   * @param unhealthy why /healthz answers 503, if it does
   * @param notes what /healthz adds to its 200 (a held change)
   */
  public static String render(StatusBoard.Snapshot snapshot, Optional<String> unhealthy, List<String> notes) {
    StringBuilder html = new StringBuilder(16_384);
    String summary = snapshot.report().map(StatusPage::summary).orElse("no valid routes file in force");
    html.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
        .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .append("<meta http-equiv=\"refresh\" content=\"").append(REFRESH).append("\">")
        .append("<title>route-agent: ").append(escape(summary)).append("</title><style>").append(STYLE)
        .append("</style></head><body>\n");
    html.append("<header><h1>route-agent</h1><p id=\"summary\">").append(escape(summary)).append("</p>")
        .append("<nav><a href=\"status.json\">status.json</a> · <a href=\"metrics\">metrics</a> · ")
        .append("<a href=\"healthz\">healthz</a></nav></header>\n");
    health(html, unhealthy, notes);
    problem(html, snapshot);
    snapshot.report().ifPresent(report -> {
      html.append("<p id=\"policy\">").append(report.policy()
          .map(file -> "Policy " + escape(file) + " in force: it limits what the routes file may declare.")
          .orElse("No admin policy in force: the routes file is limited by the guard rails alone."))
          .append("</p>\n");
      routes(html, report);
      rules(html, report);
    });
    drawing(html, snapshot.minutes());
    events(html, snapshot);
    html.append("<footer>Read-only. Refreshes every ").append(REFRESH).append(" s; generated at ")
        .append(snapshot.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append(".</footer>\n</body></html>\n");
    return html.toString();
  }

  private static String summary(StatusReport report) {
    long routes = report.routes().size();
    long installed = report.count(RouteState.INSTALLED);
    String text = installed + "/" + routes + " routes installed";
    long degraded = report.count(RouteState.DEGRADED);
    long waiting = report.count(RouteState.WAITING);
    long other = routes - installed - degraded - waiting;
    if (degraded > 0) {
      text += ", " + degraded + " degraded";
    }
    if (waiting > 0) {
      text += ", " + waiting + " waiting";
    }
    if (other > 0) {
      text += ", " + other + " not installed";
    }
    if (!report.rules().isEmpty()) {
      text += "; " + report.countRules(RuleState.INSTALLED) + "/" + report.rules().size() + " rules installed";
    }
    return text;
  }

  private static void health(StringBuilder html, Optional<String> unhealthy, List<String> notes) {
    html.append("<section id=\"health\" class=\"").append(unhealthy.isPresent() ? "bad" : "good").append("\">")
        .append(unhealthy.map(why -> "Unhealthy: " + escape(why)).orElse("Healthy.")).append("</section>\n");
    for (String note : notes) {
      html.append("<section class=\"note\">").append(escape(note)).append("</section>\n");
    }
  }

  private static void problem(StringBuilder html, StatusBoard.Snapshot snapshot) {
    if (snapshot.problem().isEmpty()) {
      return;
    }
    StatusBoard.Problem problem = snapshot.problem().get();
    html.append("<section id=\"problem\" class=\"bad\"><h2>The routes file has a problem</h2><p>Seen ")
        .append(StatusBoard.ago(problem.seen(), snapshot.now())).append(" (")
        .append(problem.seen().truncatedTo(java.time.temporal.ChronoUnit.SECONDS))
        .append("). Nothing of it is applied; the last good configuration stays in force.</p><ul>");
    for (String line : problem.lines()) {
      html.append("<li><code>").append(escape(line)).append("</code></li>");
    }
    html.append("</ul>");
    if (problem.total() > problem.lines().size()) {
      html.append("<p>and ").append(problem.total() - problem.lines().size())
          .append(" more: <code>route-agent check --all</code> lists every one.</p>");
    }
    html.append("</section>\n");
  }

  private static void routes(StringBuilder html, StatusReport report) {
    html.append("<section id=\"routes\"><h2>Routes</h2>");
    if (report.routes().isEmpty()) {
      html.append("<p>The routes file declares none.</p></section>\n");
      return;
    }
    html.append("<table><thead><tr><th>state</th><th>route</th><th>dev</th><th>why</th><th>from</th></tr></thead><tbody>");
    // What needs a look first; the file's order otherwise.
    List<StatusReport.Route> shown = report.routes().stream()
        .sorted(Comparator.comparing(s -> s.state() == RouteState.INSTALLED)).limit(ROWS).toList();
    for (StatusReport.Route route : shown) {
      row(html, route.state().label(), route.spec().describe(), route.device() == null ? "" : route.device(), route.reason(),
          route.spec().location().toString());
    }
    html.append("</tbody></table>");
    more(html, report.routes().size());
    html.append("</section>\n");
  }

  private static void rules(StringBuilder html, StatusReport report) {
    if (report.rules().isEmpty()) {
      return;
    }
    html.append("<section id=\"rules\"><h2>Rules</h2><table><thead><tr><th>state</th><th>rule</th><th>priority</th>")
        .append("<th>why</th><th>from</th></tr></thead><tbody>");
    for (RuleStatus status : report.rules().stream().limit(ROWS).toList()) {
      row(html, status.state().label(), status.spec().describe(), Long.toString(status.spec().priority()), status.reason(),
          status.spec().location().toString());
    }
    html.append("</tbody></table>");
    more(html, report.rules().size());
    html.append("</section>\n");
  }

  /** @param state a route's or a rule's state, in its words */
  private static void row(StringBuilder html, String state, String what, String third, String reason, String from) {
    html.append("<tr class=\"").append(state).append("\" data-state=\"").append(state).append("\">")
        .append("<td><span class=\"state\">").append(state).append("</span></td><td><code>")
        .append(escape(what)).append("</code></td><td>").append(escape(third)).append("</td><td>")
        .append(reason == null ? "" : escape(reason)).append("</td><td><code>").append(escape(from))
        .append("</code></td></tr>");
  }

  private static void more(StringBuilder html, int all) {
    if (all > ROWS) {
      html.append("<p>and ").append(all - ROWS).append(" more: <a href=\"status.json\">status.json</a> lists every one.</p>");
    }
  }

  /** The last hour, one column a minute: routes put back after a deletion or change, and by full reconciles. */
  private static void drawing(StringBuilder html, List<StatusBoard.Minute> minutes) {
    long peak = 1;
    long repaired = 0;
    long reconciled = 0;
    for (StatusBoard.Minute minute : minutes) {
      peak = Math.max(peak, minute.repaired() + minute.reconciled());
      repaired += minute.repaired();
      reconciled += minute.reconciled();
    }
    int width = 600;
    int height = 100;
    double column = (double) width / Math.max(1, minutes.size());
    html.append("<section id=\"drift\"><h2>The last hour</h2><svg viewBox=\"0 0 ").append(width).append(' ')
        .append(height + 14).append("\" role=\"img\" aria-label=\"").append(repaired)
        .append(" routes repaired after a deletion or change, ").append(reconciled)
        .append(" put back by full reconciles, in the last hour\">")
        .append("<line x1=\"0\" y1=\"").append(height).append("\" x2=\"").append(width).append("\" y2=\"")
        .append(height).append("\" class=\"axis\"/>");
    for (int i = 0; i < minutes.size(); i++) {
      StatusBoard.Minute minute = minutes.get(i);
      double x = i * column + 1;
      double repairedHeight = (double) height * minute.repaired() / peak;
      double reconciledHeight = (double) height * minute.reconciled() / peak;
      if (minute.repaired() > 0) {
        bar(html, x, height - repairedHeight, column - 2, repairedHeight, "repaired",
            minute.repaired() + " repaired at " + minute.start());
      }
      if (minute.reconciled() > 0) {
        bar(html, x, height - repairedHeight - reconciledHeight, column - 2, reconciledHeight, "reconciled",
            minute.reconciled() + " put back by a reconcile at " + minute.start());
      }
    }
    if (repaired + reconciled == 0) {
      html.append("<text x=\"").append(width / 2).append("\" y=\"").append(height / 2)
          .append("\" text-anchor=\"middle\">no drift in the last hour: nothing had to be put back</text>");
    }
    html.append("<text x=\"0\" y=\"").append(height + 12).append("\">60 min ago</text><text x=\"").append(width)
        .append("\" y=\"").append(height + 12).append("\" text-anchor=\"end\">now</text></svg>")
        .append("<p class=\"legend\"><span class=\"key repaired\"></span> repaired after a deletion or change (")
        .append(repaired).append(") <span class=\"key reconciled\"></span> put back by a full reconcile (")
        .append(reconciled).append("); the tallest column is ").append(peak).append(" routes.</p></section>\n");
  }

  private static void bar(StringBuilder html, double x, double y, double width, double height, String kind, String title) {
    html.append(String.format(java.util.Locale.ROOT,
        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s</title></rect>",
        kind, x, y, Math.max(1, width), Math.max(1, height), escape(title)));
  }

  private static void events(StringBuilder html, StatusBoard.Snapshot snapshot) {
    html.append("<section id=\"events\"><h2>Last events</h2>");
    if (snapshot.events().isEmpty()) {
      html.append("<p>None yet.</p></section>\n");
      return;
    }
    html.append("<ol reversed>");
    List<StatusBoard.Event> events = snapshot.events();
    for (int i = events.size() - 1; i >= 0; i--) {
      StatusBoard.Event event = events.get(i);
      html.append("<li><time datetime=\"").append(event.at()).append("\">")
          .append(StatusBoard.ago(event.at(), snapshot.now())).append("</time> ").append(escape(event.what()))
          .append(" <span class=\"cause\">cause=").append(escape(event.cause())).append("</span></li>");
    }
    html.append("</ol></section>\n");
  }

  /**
   * Text as HTML shows it, in an element or an attribute; its control characters and bidi
   * overrides shown as escapes, as in the log ({@link Printable}), so that a name cannot reorder a row.
   */
  static String escape(String shown) {
    String text = Printable.escape(shown);
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '&' -> out.append("&amp;");
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  private static final String STYLE = """
      body{font:14px/1.4 system-ui,sans-serif;margin:0 auto;padding:8px 12px;max-width:1100px;color:#1b1b1b}
      h1{font-size:20px;margin:4px 0}h2{font-size:16px;margin:16px 0 6px}
      header p{margin:2px 0}nav{font-size:13px}
      section.good,section.bad,section.note{padding:6px 10px;border-radius:4px;margin:8px 0}
      .good{background:#e6f4ea}.bad{background:#fce8e6}.note{background:#fff4d6}
      table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:3px 6px;border-bottom:1px solid #ddd;
      vertical-align:top;overflow-wrap:anywhere}
      th,td:first-child,td:nth-child(3){white-space:nowrap}code{font-size:12px}
      .state{font-weight:600;padding:0 4px;border-radius:3px}
      tr.installed .state{color:#137333}tr.waiting .state,tr.degraded .state{color:#8a5300}
      tr.missing .state,tr.drifted .state,tr.refused .state,tr.unreachable .state,tr.failed .state{color:#b3261e}
      svg{width:100%;height:auto;max-height:160px}svg text{font-size:10px;fill:#555}
      .axis{stroke:#999}rect.repaired,.key.repaired{fill:#1a73e8;background:#1a73e8}
      rect.reconciled,.key.reconciled{fill:#f29900;background:#f29900}
      .key{display:inline-block;width:10px;height:10px;margin:0 3px}
      .legend,footer{font-size:12px;color:#555}.cause{color:#555}
      @media (max-width:600px){th:nth-child(5),td:nth-child(5){display:none}}
      """;
}
