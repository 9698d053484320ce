package io.routeagent.net;

import java.net.InetAddress;
import java.util.Arrays;

/**
 * An IP network: an address whose bits beyond {@code length} are zero. Immutable; equality is by
 * family, bytes and length.
 */
public final class IpPrefix implements Comparable<IpPrefix> {
  private final byte[] bytes;
  private final int length;

  private IpPrefix(byte[] bytes, int length) {
    this.bytes = bytes;
    this.length = length;
  }

  /**
   * Builds a prefix from network-order bytes; rejects set host bits, as {@code ip route} does
   * ("Invalid prefix for given prefix length").
   */
  public static IpPrefix of(byte[] address, int length) {
    if (address.length != 4 && address.length != 16) {
      throw new IllegalArgumentException("an IP address has 4 or 16 bytes, not " + address.length);
    }
    if (length < 0 || length > address.length * 8) {
      throw new IllegalArgumentException(
          "prefix length " + length + " is outside 0.." + address.length * 8);
    }
    byte[] copy = address.clone();
    if (!Arrays.equals(copy, masked(copy, length))) {
      throw new IllegalArgumentException("host bits are set beyond /" + length);
    }
    return new IpPrefix(copy, length);
  }

  public static IpPrefix of(InetAddress address, int length) {
    return of(address.getAddress(), length);
  }

  /** The prefix that holds {@code address} at {@code length}, host bits cleared. */
  public static IpPrefix containing(InetAddress address, int length) {
    byte[] raw = address.getAddress();
    if (length < 0 || length > raw.length * 8) {
      throw new IllegalArgumentException("prefix length " + length + " is out of range");
    }
    return new IpPrefix(masked(raw, length), length);
  }

  /** A single host: /32 or /128. */
  public static IpPrefix host(InetAddress address) {
    byte[] raw = address.getAddress();
    return new IpPrefix(raw, raw.length * 8);
  }

  /** The default route of a family: 0.0.0.0/0 or ::/0. */
  public static IpPrefix defaultRoute(int family) {
    return new IpPrefix(new byte[family == Family.INET6 ? 16 : 4], 0);
  }

  /**
   * Parses "A.B.C.D/N", "X::Y/N", or a bare address (a host prefix). Returns a reason on failure.
   */
  public static Result parse(String text) {
    int slash = text.indexOf('/');
    String addressText = slash < 0 ? text : text.substring(0, slash);
    byte[] address = IpAddresses.parseToBytes(addressText);
    if (address == null) {
      return Result.error("the address is not an IPv4 or IPv6 address");
    }
    int max = address.length * 8;
    int length = max;
    if (slash >= 0) {
      length = prefixLength(text, slash + 1);
      if (length < 0) {
        return Result.error("the prefix length is not a whole number from 0 to " + max);
      }
      if (length > max) {
        return Result.error("prefix length /" + length + " is longer than " + max + " bits");
      }
    }
    if (!isMasked(address, length)) {
      return Result.error(
          "host bits are set: did you mean " + new IpPrefix(masked(address, length), length) + "?");
    }
    return Result.ok(new IpPrefix(address, length));
  }

  /**
   * The prefix length written from {@code start} to the end, or -1: one to three ASCII digits
   * (Character.isDigit would take other scripts' digits), and no leading zero, since iproute2 reads
   * "/010" as octal, i.e. /8.
   */
  private static int prefixLength(String text, int start) {
    int digits = text.length() - start;
    if (digits < 1 || digits > 3 || (digits > 1 && text.charAt(start) == '0')) {
      return -1;
    }
    int value = 0;
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }

  /** The outcome of {@link #parse}: a prefix or a reason. */
  public record Result(IpPrefix prefix, String error) {
    static Result ok(IpPrefix prefix) {
      return new Result(prefix, null);
    }

    static Result error(String error) {
      return new Result(null, error);
    }

    public boolean isOk() {
      return prefix != null;
    }
  }

  private static byte[] masked(byte[] raw, int length) {
    byte[] out = raw.clone();
    for (int i = 0; i < out.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, length - i * 8));
      out[i] &= (byte) (0xff << (8 - bitsHere));
    }
    return out;
  }

  public int family() {
    return bytes.length == 4 ? Family.INET : Family.INET6;
  }

  public int length() {
    return length;
  }

  /** Network-order address bytes (a copy). */
  public byte[] bytes() {
    return bytes.clone();
  }

  public InetAddress address() {
    return IpAddresses.fromBytes(bytes);
  }

  public boolean isDefault() {
    return length == 0;
  }

  public boolean isHost() {
    return length == bytes.length * 8;
  }

  public boolean contains(InetAddress address) {
    byte[] raw = address.getAddress();
    return raw.length == bytes.length && sharesPrefix(raw);
  }

  /** True when {@code other} is this prefix or a subnet of it. */
  public boolean contains(IpPrefix other) {
    return other.bytes.length == bytes.length && other.length >= length && sharesPrefix(other.bytes);
  }

  /** True when the first {@code length} bits of {@code raw} are this prefix's; no copies. */
  private boolean sharesPrefix(byte[] raw) {
    int whole = length / 8;
    for (int i = 0; i < whole; i++) {
      if (raw[i] != bytes[i]) {
        return false;
      }
    }
    int rest = length % 8;
    return rest == 0 || ((raw[whole] ^ bytes[whole]) & (0xff << (8 - rest)) & 0xff) == 0;
  }

  /** True when no bit of {@code raw} past {@code length} is set. */
  private static boolean isMasked(byte[] raw, int length) {
    for (int i = 0; i < raw.length; i++) {
      int bitsHere = Math.max(0, Math.min(8, length - i * 8));
      if ((raw[i] & (0xff >>> bitsHere)) != 0) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IpPrefix p && p.length == length && Arrays.equals(p.bytes, bytes);
  }

  /**
   * Mixed, not {@link Arrays#hashCode}: routes of one table differ in a few low-order bytes, and
   * the polynomial hash lets 100,000 of them collide into tree bins.
   */
  @Override
  public int hashCode() {
    long h = length;
    for (byte b : bytes) {
      h = (h << 8 | (b & 0xff)) * 0x9E3779B97F4A7C15L;
      h ^= h >>> 29;
    }
    return (int) (h ^ (h >>> 32));
  }

  @Override
  public int compareTo(IpPrefix o) {
    int c = Integer.compare(bytes.length, o.bytes.length);
    if (c == 0) {
      c = Arrays.compareUnsigned(bytes, o.bytes);
    }
    return c != 0 ? c : Integer.compare(length, o.length);
  }

  /** "10.0.0.0/16", "default" for /0, and a bare address for a host, as {@code ip route}. */
  @Override
  public String toString() {
    if (length == 0) {
      return "default";
    }
    String address = IpAddresses.format(address());
    return isHost() ? address : address + "/" + length;
  }
}
