package dev.vigil.observe.errors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.job.Fingerprinted;
import dev.vigil.job.JobError;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class FingerprinterTest {
  private final Fingerprinter fingerprinter = Fingerprinter.defaults();

  private Fingerprint fp(JobError error) {
    return fingerprinter.fingerprint("generate_reply", error);
  }

  private static JobError java(String message, String... frames) {
    var stack = new StringBuilder("java.lang.IllegalStateException: " + message + "\n");
    for (String f : frames) {
      stack.append("\tat ").append(f).append('\n');
    }
    return new JobError("java.lang.IllegalStateException", message, stack.toString());
  }

  @Nested
  class JavaStacks {
    @Test
    void the_same_error_with_other_line_numbers_and_ids_groups_together() {
      Fingerprint a =
          fp(java("job 4411 failed for order 9f1c2e7a-0c1d-4c41-9a43-2f9b1c0d7e55",
              "com.acme.Reply.generate(Reply.java:42)",
              "com.acme.Reply.lambda$handle$3(Reply.java:17)",
              "dev.vigil.Execution.run(Execution.java:80)",
              "java.base/java.lang.VirtualThread.run(VirtualThread.java:329)"));
      Fingerprint b =
          fp(java("job 97 failed for order 0b6f0e61-7d8b-4a57-8e89-4a4cf0a9d2c3",
              "com.acme.Reply.generate(Reply.java:57)",
              "com.acme.Reply.lambda$handle$9(Reply.java:21)",
              "dev.vigil.Execution.run(Execution.java:91)",
              "java.base/java.lang.VirtualThread.run(VirtualThread.java:331)"));

      assertThat(a.groupId()).isEqualTo(b.groupId()).hasSize(16).matches("[0-9a-f]{16}");
      assertThat(a.text())
          .isEqualTo("java.lang.IllegalStateException\ncom.acme.Reply in generate\ncom.acme.Reply in lambda$handle");
      assertThat(a.culprit()).isEqualTo("com.acme.Reply in generate");
      assertThat(a.title()).isEqualTo("java.lang.IllegalStateException: job 4411 failed for order 9f1c2e7a-0c1d-4c41-9a43-2f9b1c0d7e55");
      assertThat(b.title()).contains("job 97");
    }

    @Test
    void different_in_app_frames_make_different_groups() {
      Fingerprint a = fp(java("boom", "com.acme.Reply.generate(Reply.java:42)", "com.acme.Worker.run(Worker.java:10)"));
      Fingerprint b = fp(java("boom", "com.acme.Digest.build(Digest.java:42)", "com.acme.Worker.run(Worker.java:10)"));

      assertThat(a.groupId()).isNotEqualTo(b.groupId());
    }

    @Test
    void library_and_engine_frames_do_not_split_a_group() {
      Fingerprint a =
          fp(java("boom", "java.base/java.util.HashMap.get(HashMap.java:1)", "com.acme.Reply.generate(Reply.java:42)",
              "dev.vigil.Execution.run(Execution.java:80)"));
      Fingerprint b =
          fp(java("boom", "com.fasterxml.jackson.databind.ObjectMapper.readValue(ObjectMapper.java:3)",
              "com.acme.Reply.generate(Reply.java:44)", "dev.vigil.Workers.start(Workers.java:12)"));

      assertThat(a.groupId()).isEqualTo(b.groupId());
      assertThat(a.culprit()).isEqualTo("com.acme.Reply in generate");
    }

    @Test
    void all_frames_count_when_none_is_in_app() {
      Fingerprint a = fp(java("boom", "java.base/java.util.HashMap.get(HashMap.java:1)", "dev.vigil.Execution.run(Execution.java:80)"));
      Fingerprint b = fp(java("boom", "java.base/java.util.TreeMap.get(TreeMap.java:1)", "dev.vigil.Execution.run(Execution.java:80)"));

      assertThat(a.text()).contains("java.util.HashMap in get", "dev.vigil.Execution in run");
      assertThat(a.groupId()).isNotEqualTo(b.groupId());
      assertThat(a.culprit()).isEqualTo("java.util.HashMap in get");
    }

    @Test
    void lambda_anonymous_and_generated_class_names_are_normalised() {
      Fingerprint a =
          fp(java("boom",
              "com.acme.Reply$$Lambda$123/0x0000000800c4b2c8.apply(Unknown Source)",
              "com.acme.Reply$1.call(Reply.java:12)",
              "com.acme.Reply.lambda$send$12(Reply.java:40)",
              "jdk.proxy2/jdk.proxy2.$Proxy12.invoke(Unknown Source)",
              "com.acme.Repo$$SpringCGLIB$$0.save(<generated>)",
              "com.acme.Account$HibernateProxy$Xk2qPzR.balance(Unknown Source)",
              "jdk.internal.reflect.GeneratedMethodAccessor45.invoke(Unknown Source)",
              "com.acme.Outer.access$000(Outer.java:3)"));
      Fingerprint b =
          fp(java("boom",
              "com.acme.Reply$$Lambda/0x000071c8010032e8.apply(Unknown Source)",
              "com.acme.Reply$2.call(Reply.java:12)",
              "com.acme.Reply.lambda$send$0(Reply.java:41)",
              "jdk.proxy3/jdk.proxy3.$Proxy7.invoke(Unknown Source)",
              "com.acme.Repo$$SpringCGLIB$$1.save(<generated>)",
              "com.acme.Account$HibernateProxy$aB9cD0e.balance(Unknown Source)",
              "jdk.internal.reflect.GeneratedMethodAccessor7.invoke(Unknown Source)",
              "com.acme.Outer.access$100(Outer.java:3)"));

      assertThat(a.groupId()).isEqualTo(b.groupId());
      assertThat(a.text())
          .contains("com.acme.Reply$N in call", "com.acme.Reply in lambda$send", "com.acme.Repo$$SpringCGLIB in save",
              "com.acme.Account$HibernateProxy in balance", "com.acme.Outer in access$")
          .doesNotContain("Lambda", "0x", "$Proxy"); // the lambda class is glue, the proxy a JDK frame
    }

    @Test
    void the_cause_chain_takes_part_and_suppressed_exceptions_do_not() {
      String stack =
          """
          java.lang.RuntimeException: wrapped
          \tat com.acme.Reply.generate(Reply.java:42)
          \tSuppressed: java.io.IOException: close failed
          \t\tat com.acme.Stream.close(Stream.java:9)
          Caused by: java.net.SocketTimeoutException: read timed out after 3000 ms
          \tat java.base/java.net.Socket.read(Socket.java:1)
          \tat com.acme.Client.call(Client.java:77)
          \t... 4 more
          """;
      String otherCause = stack.replace("java.net.SocketTimeoutException: read timed out after 3000 ms", "java.net.ConnectException: refused");

      Fingerprint a = fp(new JobError("java.lang.RuntimeException", "wrapped", stack));
      Fingerprint b = fp(new JobError("java.lang.RuntimeException", "wrapped", otherCause));

      assertThat(a.text())
          .isEqualTo("java.lang.RuntimeException\ncom.acme.Reply in generate\ncaused by java.net.SocketTimeoutException\ncom.acme.Client in call");
      assertThat(a.groupId()).isNotEqualTo(b.groupId());
    }

    @Test
    void a_stack_cut_to_its_stored_length_loses_its_partial_last_line() {
      var stack = new StringBuilder("java.lang.IllegalStateException: boom\n\tat com.acme.Reply.generate(Reply.java:42)\n");
      while (stack.length() < JobError.MAX_STACK - 200) {
        stack.append("\tat java.base/java.lang.Thread.run(Thread.java:1)\n");
      }
      stack.setLength(JobError.MAX_STACK - 10);
      stack.append("\tat com.acme.Partial.run(Partial.java:1)\n"); // cut after "\tat com.ac"

      Fingerprint f = fp(new JobError("java.lang.IllegalStateException", "boom", stack.toString()));

      assertThat(f.text()).isEqualTo("java.lang.IllegalStateException\ncom.acme.Reply in generate");
    }

    @Test
    void a_real_throwable_groups_with_itself_thrown_again() {
      JobError first = JobError.of(thrown(1));
      JobError second = JobError.of(thrown(2));

      assertThat(fp(first).groupId()).isEqualTo(fp(second).groupId());
      assertThat(fp(first).text()).contains("dev.vigil.observe.errors.FingerprinterTest$JavaStacks in thrown");
    }

    private static IllegalArgumentException thrown(int n) {
      return new IllegalArgumentException("bad input " + n);
    }
  }

  @Nested
  class PythonTracebacks {
    private static final String TRACEBACK =
        """
        Traceback (most recent call last):
          File "/app/workers/reply.py", line 42, in handle
            result = generate(job["payload"])
          File "/app/workers/llm.py", line 17, in generate
            return client.chat(prompt)
          File "/usr/lib/python3.12/site-packages/openai/_client.py", line 310, in chat
            raise APIError(f"status {code}")
          File "/usr/lib/python3.12/json/decoder.py", line 353, in raw_decode
            obj, end = self.scan_once(s, idx)
        openai.APIError: status 503 for request req_8fK2LmQp
        """;

    @Test
    void frames_are_module_and_function_without_line_numbers() {
      Fingerprint a = fp(new JobError("openai.APIError", "status 503 for request req_8fK2LmQp", TRACEBACK));
      Fingerprint b =
          fp(new JobError("openai.APIError", "status 502 for request req_Zz91aQ",
              TRACEBACK.replace("line 42", "line 44").replace("line 17", "line 19").replace("/app/", "/srv/vigil-app/")));

      assertThat(a.text()).isEqualTo("openai.APIError\nworkers.llm in generate\nworkers.reply in handle");
      assertThat(a.groupId()).isEqualTo(b.groupId());
      assertThat(a.culprit()).isEqualTo("workers.llm in generate");
    }

    @Test
    void different_functions_make_different_groups() {
      Fingerprint a = fp(new JobError("openai.APIError", "x", TRACEBACK));
      Fingerprint b = fp(new JobError("openai.APIError", "x", TRACEBACK.replace("in generate", "in summarise")));

      assertThat(a.groupId()).isNotEqualTo(b.groupId());
    }

    @Test
    void a_chained_traceback_puts_the_exception_raised_last_first() {
      String chained =
          """
          Traceback (most recent call last):
            File "/app/workers/db.py", line 10, in fetch
              row = cursor.fetchone()
          KeyError: 'user'

          During handling of the above exception, another exception occurred:

          Traceback (most recent call last):
            File "/app/workers/reply.py", line 30, in handle
              user = fetch(42)
          ValueError: no user 42
          """;

      Fingerprint f = fp(new JobError("ValueError", "no user 42", chained));

      assertThat(f.text()).isEqualTo("ValueError\nworkers.reply in handle\ncaused by KeyError\nworkers.db in fetch");
      assertThat(f.culprit()).isEqualTo("workers.reply in handle");
    }

    @Test
    void a_traceback_of_library_frames_only_keeps_them_all() {
      String libraryOnly =
          """
          Traceback (most recent call last):
            File "/venv/lib/python3.11/site-packages/httpx/_client.py", line 1, in send
            File "<frozen importlib._bootstrap>", line 2, in _find
          httpx.ReadTimeout: timed out
          """;

      Fingerprint f = fp(new JobError("httpx.ReadTimeout", "timed out", libraryOnly));

      assertThat(f.text()).isEqualTo("httpx.ReadTimeout\n<frozen importlib._bootstrap> in _find\nhttpx._client in send");
    }
  }

  @Nested
  class WithoutAStack {
    @Test
    void the_message_is_normalised() {
      assertThat(Messages.normalise(
              "user ava@example.com: GET https://api.example.com/v1/users/42?x=1 failed at 2026-11-24T09:44:45.143Z"
                  + " from 203.0.113.7 and 2001:db8::8a2e:370:7334 (id 9f1c2e7a-0c1d-4c41-9a43-2f9b1c0d7e55,"
                  + " ptr 0x7ffee4b2, sha 3f9a2c1d8e, token req_8fK2LmQp, took 1,234.5 ms at 09:18:40)"))
          .isEqualTo(
              "user <email>: GET <url> failed at <date> from <ip> and <ip> (id <uuid>, ptr <hex>, sha <hex>,"
                  + " token <id>, took <n> ms at <date>)");
      assertThat(Messages.normalise("  many\n\tspaces  ")).isEqualTo("many spaces");
      assertThat(Messages.normalise("Foo::bar and [email] stay")).isEqualTo("Foo::bar and [email] stay");
      assertThat(Messages.normalise(null)).isEmpty();
    }

    @Test
    void errors_that_differ_in_their_values_group_together() {
      Fingerprint a = fp(JobError.of("ProviderError", "503 from api.openai.com for job 0192f4d1-7a3e-7c55-9b1e-2f4c1a9d8e77 after 3 tries"));
      Fingerprint b = fp(JobError.of("ProviderError", "504 from api.openai.com for job 0192f4d1-8b4f-7d66-8c2f-3a5d2b0e9f88 after 2 tries"));
      Fingerprint c = fp(JobError.of("ProviderError", "quota exceeded"));

      assertThat(a.groupId()).isEqualTo(b.groupId()).isNotEqualTo(c.groupId());
      assertThat(a.text()).isEqualTo("ProviderError\n<n> from api.openai.com for job <uuid> after <n> tries");
      assertThat(a.culprit()).isNull();
    }

    @Test
    void the_engines_own_errors_group_by_job_type() {
      JobError timeout = JobError.of("Timeout", "attempt ran past its timeout of 15000 ms");
      JobError rescued = JobError.of("LeaseExpired", "lease of worker py-3 expired at 2026-11-24T09:44:45Z");

      assertThat(fingerprinter.groupId("reply", timeout)).isNotEqualTo(fingerprinter.groupId("digest", timeout));
      assertThat(fingerprinter.fingerprint("reply", rescued).text()).isEqualTo("LeaseExpired\njob type reply");
      assertThat(fingerprinter.groupId("reply", rescued))
          .isEqualTo(fingerprinter.groupId("reply", JobError.of("LeaseExpired", "lease of worker web-1 expired")));
    }

    @Test
    void the_title_is_the_type_and_the_first_line_of_the_message() {
      assertThat(fp(JobError.of("E", "first line\nsecond")).title()).isEqualTo("E: first line");
      assertThat(fp(JobError.of("E", null)).title()).isEqualTo("E");
      assertThat(fp(JobError.of("E", "x".repeat(500))).title()).hasSize(Fingerprint.MAX_TITLE).endsWith("…");
    }
  }

  @Nested
  class ChosenFingerprints {
    @Test
    void a_handlers_fingerprint_replaces_the_default() {
      JobError a = java("boom", "com.acme.Reply.generate(Reply.java:42)").withFingerprint(List.of("provider-down", "openai"));
      JobError b = java("other", "com.acme.Digest.build(Digest.java:1)").withFingerprint(List.of("provider-down", "openai"));

      assertThat(fp(a).groupId()).isEqualTo(fp(b).groupId());
      assertThat(fp(a).text()).isEqualTo("provider-down\nopenai");
      assertThat(fp(a).culprit()).isEqualTo("com.acme.Reply in generate");
    }

    @Test
    void the_default_part_extends_the_default_grouping() {
      JobError plain = java("boom", "com.acme.Reply.generate(Reply.java:42)");

      assertThat(fp(plain.withFingerprint(List.of(Fingerprinted.DEFAULT))).groupId()).isEqualTo(fp(plain).groupId());
      assertThat(fp(plain.withFingerprint(List.of(Fingerprinted.DEFAULT, "tier:free"))).text())
          .isEqualTo(fp(plain).text() + "\ntier:free");
    }

    @Test
    void an_exception_says_its_own_fingerprint() {
      class ProviderDown extends RuntimeException implements Fingerprinted {
        ProviderDown(String m) {
          super(m);
        }

        @Override
        public List<String> fingerprint() {
          return List.of("provider-down", "anthropic");
        }
      }

      JobError error = JobError.of(new ProviderDown("overloaded 529"));

      assertThat(error.fingerprintParts()).containsExactly("provider-down", "anthropic");
      assertThat(fp(error).text()).isEqualTo("provider-down\nanthropic");
    }
  }

  @Nested
  class InAppRules {
    @Test
    void prefixes_can_be_excluded_and_included() {
      JobError error = java("boom", "com.acme.vendor.Sdk.call(Sdk.java:1)", "com.acme.Reply.generate(Reply.java:42)");
      Fingerprinter custom =
          Fingerprinter.builder().inAppExclude(List.of("com.acme.vendor.")).inAppInclude(List.of("dev.vigil.examples.")).build();

      assertThat(fp(error).culprit()).isEqualTo("com.acme.vendor.Sdk in call");
      assertThat(custom.fingerprint("t", error).culprit()).isEqualTo("com.acme.Reply in generate");
      assertThat(custom.fingerprint("t", java("b", "dev.vigil.examples.Echo.run(Echo.java:1)")).culprit())
          .isEqualTo("dev.vigil.examples.Echo in run");
      assertThatThrownBy(() -> Fingerprinter.builder().inAppExclude(List.of(" ")))
          .isInstanceOf(IllegalArgumentException.class);
    }
  }
}
