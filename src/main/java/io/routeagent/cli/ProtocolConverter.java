package io.routeagent.cli;

import io.routeagent.reconcile.Planner;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --protocol}'s value: a decimal number the planner can own routes with, judged while the
 * line is parsed, so that a number another program uses is a usage error before anything is read
 * or sent.
 */
final class ProtocolConverter implements ITypeConverter<Integer> {
  @Override
  public Integer convert(String value) {
    int protocol;
    try {
      protocol = Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new TypeConversionException("'" + value + "' is not a number");
    }
    String problem = Planner.protocolProblem(protocol);
    if (problem != null) {
      throw new TypeConversionException(problem);
    }
    return protocol;
  }
}
