package dev.vigil;

import java.lang.management.ManagementFactory;
import java.net.InetAddress;

/** Where this process runs and which Vigil it is, for lease owners and the node registry. */
final class NodeInfo {
  private NodeInfo() {}

  static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "localhost";
    }
  }

  /** Host name and process id: unique per process on a host, readable in listings. */
  static String defaultNodeId() {
    return host() + "-" + ManagementFactory.getRuntimeMXBean().getPid();
  }

  /** The version in the jar's manifest, or {@code dev} when run from classes. */
  static String version() {
    String v = Vigil.class.getPackage().getImplementationVersion();
    return v != null ? v : "dev";
  }
}
