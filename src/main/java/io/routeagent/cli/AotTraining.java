package io.routeagent.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * The bundle's AOT training run (packaging/build-bundle.sh): the one-shot commands people type, in
 * one JVM, so that the cache holds what each of them loads and links. Arguments: ROUTES STATE_DIR
 * [--apply]. {@code check}, {@code plan}, {@code status} and {@code status --json} only read;
 * {@code apply} changes the routing table, so the script asks for it only inside a network
 * namespace of its own. Exits 1 if a command failed (status 1, or 4 and over: a broken build), else
 * 0.
 */
public final class AotTraining {
  private AotTraining() {}

  public static void main(String[] args) {
    if (args.length < 2 || args.length > 3 || (args.length == 3 && !args[2].equals("--apply"))) {
      throw new IllegalArgumentException("usage: AotTraining ROUTES STATE_DIR [--apply]");
    }
    List<List<String>> commands = new ArrayList<>(List.of(List.of("check"), List.of("plan")));
    if (args.length == 3) {
      commands.add(List.of("apply"));
    }
    commands.add(List.of("status"));
    commands.add(List.of("status", "--json"));
    boolean failed = false;
    for (List<String> command : commands) {
      List<String> line = new ArrayList<>(List.of("--config", args[0], "--state-dir", args[1]));
      line.addAll(command);
      int status = Main.run(line.toArray(String[]::new));
      System.out.println("training: " + String.join(" ", command) + " exited " + status);
      failed |= status == ExitStatus.ERROR || status > ExitStatus.WAITING;
    }
    System.exit(failed ? 1 : 0);
  }
}
