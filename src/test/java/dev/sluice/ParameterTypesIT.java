package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
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

    private String sluice(int expectedExit, String... args) {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        int exit = Main.run(writer, writer, args);
        writer.flush();
        assertThat(exit).as(out.toString()).isEqualTo(expectedExit);
        return out.toString();
    }

    @Test
    void aMistypedVarIsRefusedAtPlanTimeAndNothingIsPublished() {
        String out = sluice(2, "run", project.toString(), "--var", "min_quantity=abc");

        assertThat(out).contains("--var: Cannot read --var min_quantity: 'abc' is not a number, as its declared value"
                + " 1 in sluice.yml is; fix the value");
        assertThat(sluice(2, "plan", project.toString(), "--var", "min_quantity=abc")).contains("'abc' is not a number");
        sluice(0, "run", project.toString(), "--var", "min_quantity=3");
        assertThat(Sluice.open(project).query("SELECT min(quantity) >= 3 FROM big_lines").rows().get(0).get(0))
                .isEqualTo(true);
    }

    @Test
    void anUnknownVarIsAnErrorNamingTheKnownOnes() {
        String out = sluice(2, "run", project.toString(), "--var", "nosuch=1");

        assertThat(out).contains("--var: Cannot read --var nosuch: no such parameter: sluice.yml declares no var nosuch"
                + " and no model reads ${nosuch} (known parameters: min_quantity); declare it under vars in sluice.yml"
                + " or drop the --var");
    }
}
