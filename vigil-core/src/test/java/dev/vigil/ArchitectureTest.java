package dev.vigil;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaModifier.PUBLIC;
import static com.tngtech.archunit.core.domain.properties.HasModifiers.Predicates.modifier;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;

/**
 * The boundaries of vigil-core that DESIGN.md and STYLE.md promise, checked on the bytecode.
 *
 * <p>The rules are {@code @ArchTest} methods rather than {@code ArchRule} fields: Surefire 3.5.3
 * silently skips field rules (SUREFIRE-2298, fixed in 3.5.4), which would let this test pass
 * without checking anything.
 */
@AnalyzeClasses(packages = "dev.vigil", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

  @ArchTest
  static void core_uses_no_jdbc(JavaClasses core) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.sql..", "javax.sql..")
        .because("stores live in vigil-store; nothing in the engine knows which store it runs on")
        .check(core);
  }

  @ArchTest
  static void core_uses_no_http_or_servlet_code(JavaClasses core) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "io.javalin..",
            "jakarta.servlet..",
            "javax.servlet..",
            "org.eclipse.jetty..",
            "java.net.http..",
            "com.sun.net.httpserver..",
            "io.netty..",
            "io.undertow..",
            "okhttp3..",
            "org.apache.hc..",
            "org.apache.http..")
        .because("the HTTP API belongs to vigil-server; the engine is embeddable without it")
        .check(core);
  }

  @ArchTest
  static void core_uses_no_ui_code(JavaClasses core) {
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("java.awt..", "javax.swing..", "javafx..", "org.eclipse.swt..")
        .because("the dashboard is served by vigil-server")
        .check(core);
  }

  @ArchTest
  static void public_api_does_not_reach_into_the_engine(JavaClasses core) {
    noClasses()
        .that()
        .resideInAnyPackage("dev.vigil.job..", "dev.vigil.store..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.vigil")
                .and(not(modifier(PUBLIC)))
                .or(resideInAPackage("dev.vigil.internal..")))
        .because(
            "the job model and the store SPI are public API and must not expose engine internals")
        .check(core);
  }

  @ArchTest
  static void only_the_embedding_api_is_public_in_the_root_package(JavaClasses core) {
    classes()
        .that()
        .resideInAPackage("dev.vigil")
        .and()
        .arePublic()
        .and()
        .areTopLevelClasses()
        .should()
        .haveNameMatching(
            "dev\\.vigil\\.(Vigil|ManualClock|Subscription|VigilException|InvalidRequestException"
                + "|NotFoundException|TooManyClaimsException|JobRejectedException)")
        .because(
            "engine classes (scheduler, dispatcher, factory, ids, event bus...) stay"
                + " package-private so users cannot come to depend on them")
        .check(core);
  }

  @ArchTest
  static void job_model_does_not_know_the_store(JavaClasses core) {
    noClasses()
        .that()
        .resideInAPackage("dev.vigil.job..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.vigil.store..")
        .because("the store SPI is built on the job model, not the other way round")
        .check(core);
  }
}
