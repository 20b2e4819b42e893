package dev.vigil.server;

import dev.vigil.observe.alerts.AlertEngine;
import dev.vigil.observe.alerts.AlertRule;
import dev.vigil.observe.alerts.DefaultRules;
import dev.vigil.observe.alerts.NotificationPolicy;
import dev.vigil.observe.alerts.RuleBinder;
import dev.vigil.observe.alerts.RuleSpec;
import dev.vigil.observe.duty.PeriodicDuty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-reads the alert rules file every {@link #PERIOD} and, when its bytes changed, hands the
 * engine the new rules. A file that cannot be read or is invalid leaves the running rules in place
 * and sets the engine's {@code config_error} (and logs it once) until a good file replaces it; a
 * file that is removed leaves the built-in rules alone.
 */
final class RulesFileWatch implements PeriodicDuty {
  /** How often the file is looked at: a change is running within this and one evaluation. */
  static final Duration PERIOD = Duration.ofSeconds(2);

  private static final Logger log = LoggerFactory.getLogger(RulesFileWatch.class);

  private final Path file;
  private final AlertEngine engine;
  private final RuleBinder binder;
  private byte[] lastSeen;
  private int fileRules;

  RulesFileWatch(Path file, AlertEngine engine, RuleBinder binder) {
    this.file = file;
    this.engine = engine;
    this.binder = binder;
  }

  @Override
  public String name() {
    return "alert-rules-file";
  }

  @Override
  public Duration period() {
    return PERIOD;
  }

  /** How many rules the file gave at its last good reading. */
  int fileRules() {
    return fileRules;
  }

  @Override
  public synchronized void run(Instant now) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      bytes = new byte[0];
    } catch (IOException e) {
      refuse(new byte[] {-1}, file + ": cannot be read (" + e.getClass().getSimpleName() + ")");
      return;
    }
    if (lastSeen != null && Arrays.equals(bytes, lastSeen)) {
      return;
    }
    AlertsFile.Parsed parsed;
    try {
      parsed = AlertsFile.parse(new String(bytes, StandardCharsets.UTF_8), file.toString());
    } catch (ConfigException e) {
      refuse(bytes, e.getMessage());
      return;
    }
    var rules = bind(parsed.rules(), parsed.disabledDefaults());
    engine.configure(rules, parsed.policy() == null ? NotificationPolicy.NONE : parsed.policy());
    if (lastSeen != null) {
      log.info("alert rules reloaded from {}: {} rules, {} from the file", file, rules.size(), parsed.rules().size());
    }
    lastSeen = bytes;
    fileRules = parsed.rules().size();
  }

  private void refuse(byte[] bytes, String error) {
    if (lastSeen == null) { // nothing runs yet: the built-in rules do
      engine.configure(bind(List.of(), Set.of()), NotificationPolicy.NONE);
    }
    lastSeen = bytes;
    engine.configFailed(error);
    log.error("alert rules file refused, the rules running stay: {}", error);
  }

  /** The built-in rules not switched off nor replaced by the file's, then the file's, bound. */
  private List<AlertRule> bind(List<RuleSpec> fileRules, Set<String> disabled) {
    Set<String> replaced = new HashSet<>(disabled);
    fileRules.forEach(r -> replaced.add(r.name()));
    List<RuleSpec> specs = new ArrayList<>();
    DefaultRules.all().stream().filter(r -> !replaced.contains(r.name())).forEach(specs::add);
    specs.addAll(fileRules);
    return specs.stream().map(binder::bind).toList();
  }
}
