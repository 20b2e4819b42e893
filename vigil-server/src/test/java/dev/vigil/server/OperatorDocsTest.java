package dev.vigil.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The operator's documents agree with the kit: docs/runbooks.md has a section for every alert of
 * deploy/prometheus/rules.yml (its anchor is the alert's {@code runbook_url}) and says the same
 * severity and {@code for}; the troubleshooting workflows are there; every relative link of the
 * runbooks, docs/capacity.md and the README reaches an existing file and heading.
 */
class OperatorDocsTest {
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern ALERT_ROW = Pattern.compile("^\\| \\[(Vigil\\w+)\\]\\(#(\\w+)\\) \\| (\\w+) \\|.*\\| (\\w+) \\|$");

  private static Path root;
  private static PrometheusRules rules;

  @BeforeAll
  static void read() throws IOException {
    root = DeploymentFilesTest.repositoryRoot();
    rules = PrometheusRules.read(root);
  }

  @Test
  void every_alert_has_a_runbook_section_at_its_runbook_url() throws IOException {
    Path runbooks = root.resolve("docs/runbooks.md");
    Set<String> anchors = anchors(runbooks);
    List<String> headings = Files.readAllLines(runbooks).stream().filter(l -> l.startsWith("## ")).toList();

    for (Map.Entry<String, JsonNode> alert : rules.alerts().entrySet()) {
      String url = alert.getValue().path("annotations").path("runbook_url").asText();
      assertThat(headings).as(alert.getKey()).contains("## " + alert.getKey());
      assertThat(anchors).as(url).contains(url.substring(url.indexOf('#') + 1));
    }
    assertThat(anchors).contains("jobs-are-slow", "jobs-fail", "a-node-vanished", "is-anything-lost");
  }

  @Test
  void the_runbooks_table_gives_each_alert_the_severity_and_for_of_the_rules() throws IOException {
    var seen = new HashSet<String>();
    for (String line : Files.readAllLines(root.resolve("docs/runbooks.md"))) {
      Matcher m = ALERT_ROW.matcher(line);
      if (m.matches()) {
        JsonNode rule = rules.alerts().get(m.group(1));
        assertThat(rule).as(m.group(1)).isNotNull();
        assertThat(m.group(2)).isEqualTo(m.group(1).toLowerCase(Locale.ROOT));
        assertThat(m.group(3)).as(m.group(1) + " severity").isEqualTo(rule.path("labels").path("severity").asText());
        assertThat(m.group(4)).as(m.group(1) + " for").isEqualTo(rule.path("for").asText());
        seen.add(m.group(1));
      }
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(PrometheusRules.ALERTS);
  }

  @Test
  void every_relative_link_of_the_operator_docs_reaches_a_file_and_heading() throws IOException {
    var broken = new ArrayList<String>();
    for (String doc : List.of("docs/runbooks.md", "docs/capacity.md", "docs/metrics.md", "docs/alerts.md", "docs/history.md", "README.md")) {
      Path file = root.resolve(doc);
      Matcher m = LINK.matcher(Files.readString(file));
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("^[a-z]+:.*")) {
          continue; // http:, https:, mailto:
        }
        int hash = target.indexOf('#');
        Path linked = hash == 0 ? file : file.getParent().resolve(hash < 0 ? target : target.substring(0, hash)).normalize();
        if (!Files.exists(linked)) {
          broken.add(doc + " -> " + target + ": no such file");
        } else if (hash >= 0 && !anchors(linked).contains(target.substring(hash + 1))) {
          broken.add(doc + " -> " + target + ": no such heading");
        }
      }
    }

    assertThat(broken).isEmpty();
  }

  @Test
  void the_readme_links_the_runbooks_and_the_capacity_guide_where_it_lists_scale_and_observability() throws IOException {
    String readme = Files.readString(root.resolve("README.md"));
    int section = readme.indexOf("## Scale out, observe, measure");
    String list = readme.substring(section, readme.indexOf("\n## ", section + 1));

    assertThat(list).contains("(docs/runbooks.md)", "(docs/capacity.md)", "(deploy/prometheus/rules.yml)");
  }

  /** The anchors GitHub gives a Markdown file's headings. */
  static Set<String> anchors(Path markdown) throws IOException {
    var out = new HashSet<String>();
    boolean fenced = false;
    for (String line : Files.readAllLines(markdown)) {
      if (line.startsWith("```")) {
        fenced = !fenced;
      }
      if (!fenced && line.matches("^#{1,6} .*")) {
        String text = line.replaceFirst("^#+ ", "").strip().toLowerCase(Locale.ROOT);
        out.add(text.replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-'));
      }
    }
    return out;
  }
}
