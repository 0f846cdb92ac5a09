package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A --var is checked against its declared value before anything runs: no view is published with a mistyped value. */
class ParameterTypesIT {
    @TempDir
    Path dir;

    private Path project;

    @BeforeEach
    void write() {
        project = ProjectFixture.copyTo("parameter_types_shop", dir.resolve("shop")).root();
    }

    @Test
    void aMistypedVarIsRefusedAtPlanTimeAndNothingIsPublished() {
        String out = ProjectFixture.sluice(2, "run", project.toString(), "--var", "min_quantity=abc");

        assertThat(out).contains("--var: Cannot read --var min_quantity: 'abc' is not a number, as its declared value"
                + " 1 in sluice.yml is; fix the value");
        assertThat(ProjectFixture.sluice(2, "plan", project.toString(), "--var", "min_quantity=abc")).contains("'abc' is not a number");
        ProjectFixture.sluice(0, "run", project.toString(), "--var", "min_quantity=3");
        assertThat(Sluice.open(project).query("SELECT min(quantity) >= 3 FROM big_lines").rows().get(0).get(0))
                .isEqualTo(true);
    }

    @Test
    void anUnknownVarIsAnErrorNamingTheKnownOnes() {
        String out = ProjectFixture.sluice(2, "run", project.toString(), "--var", "nosuch=1");

        assertThat(out).contains("--var: Cannot read --var nosuch: no such parameter: sluice.yml declares no var nosuch"
                + " and no model reads ${nosuch} (known parameters: min_quantity); declare it under vars in sluice.yml"
                + " or drop the --var");
    }
}
