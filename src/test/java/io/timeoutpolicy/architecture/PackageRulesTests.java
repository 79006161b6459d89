package io.timeoutpolicy.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;
import io.timeoutpolicy.platform.OffendingPlatformClass;
import io.timeoutpolicy.policy.PolicyStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shape of the house (docs/design.md, "Code layout"): {@code platform} is plumbing every feature may use and
 * that uses none of them; features may use each other, but never in a circle; only {@code startup}, the
 * composition root, sees them all. Checked over the compiled classes, so a move that breaks it fails here.
 */
class PackageRulesTests {

    static final String ROOT = "io.timeoutpolicy";
    static final String[] FEATURES = {"alerts", "analysis", "bypass", "circuit", "history", "policy", "recording",
            "rollout", "instances", "security", "timeouts"};

    private static JavaClasses service;

    @BeforeAll
    static void importService() {
        service = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages(ROOT);
    }

    @Test
    void platform_imports_no_feature_and_not_the_composition_root() {
        platformIsALeaf().check(service);
    }

    @Test
    void no_two_features_depend_on_each_other_even_through_a_third() {
        slices().matching(ROOT + ".(*)..").should().beFreeOfCycles().check(service);
    }

    @Test
    void the_leaf_rule_fails_when_a_platform_class_imports_a_feature() {
        JavaClasses withOffender = new ClassFileImporter().importClasses(OffendingPlatformClass.class,
                PolicyStore.class);
        EvaluationResult result = platformIsALeaf().evaluate(withOffender);
        assertThat(result.hasViolation()).isTrue();
        assertThat(result.getFailureReport().toString()).contains("PolicyStore");
    }

    @Test
    void every_feature_package_named_here_exists() {
        for (String feature : FEATURES) {
            assertThat(service.containPackage(ROOT + "." + feature)).as(feature).isTrue();
        }
    }

    private static ArchRule platformIsALeaf() {
        String[] outside = new String[FEATURES.length + 1];
        for (int i = 0; i < FEATURES.length; i++) {
            outside[i] = ROOT + "." + FEATURES[i] + "..";
        }
        outside[FEATURES.length] = ROOT + ".startup..";
        return noClasses().that().resideInAPackage(ROOT + ".platform..")
                .should().dependOnClassesThat().resideInAnyPackage(outside)
                .because("platform is plumbing under every feature (docs/design.md, Code layout)");
    }
}
