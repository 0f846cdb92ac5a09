package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that cannot be read blocks only the models that read it: a selection without them runs, {@code ls}
 * lists the rest, and the message names the source, its path and the cause, never Sluice's own SQL.
 */
class MissingSourceIT {
    @TempDir
    Path dir;

    private Path project;

    @BeforeEach
    void write() {
        project = ProjectFixture.copyTo("missing_source_events", dir.resolve("p")).root();
    }

    @Test
    void aSelectionThatDoesNotReadTheMissingSourceRuns() {
        assertThat(ProjectFixture.sluice(0, "run", project.toString(), "--select", "us")).contains("1 succeeded, 0 failed");
        assertThat(ProjectFixture.sluice(0, "ls", project.toString())).contains("main.us");
    }

    @Test
    void aSelectionThatReadsItSaysWhichSourcePathAndWhy() {
        String expected = "Cannot read source raw.events (sluice.yml:4:3): the folder data/events does not exist, so"
                + " no file matches path data/events/*.csv; create it and add files, or fix the source's path in"
                + " sluice.yml";
        for (String selection : new String[] {"ev_daily", "+ev_daily", "ev+"}) {
            String out = ProjectFixture.sluice(2, "run", project.toString(), "--select", selection);
            assertThat(out).as(selection).contains(expected).doesNotContain("CREATE").doesNotContain("read_csv");
        }
        assertThat(ProjectFixture.sluice(2, "run", project.toString())).contains(expected);

        ProjectFixture.at(project).write("data/events/.keep", "");
        assertThat(ProjectFixture.sluice(2, "plan", project.toString())).contains("Cannot read source raw.events (sluice.yml:4:3):"
                + " no file matches path data/events/*.csv; add files there, or fix the source's path in sluice.yml");
    }

    /**
     * A graph or tag selection that reaches a model reading the missing source is refused before anything runs,
     * naming that model, the source, its path and the cause, as selecting the model by name is (SQLMesh refuses a
     * plan it cannot apply whole; a run that quietly left the model out would look complete): never a run that
     * silently leaves it out.
     */
    @Test
    void aGraphOrTagSelectionReachingAModelThatReadsTheMissingSourceIsRefusedNamingIt() {
        ProjectFixture.at(project).write("models/mix.sql", "/*---\ntags: [daily]\n---*/\n"
                + "SELECT us.id, count(e.*) AS n FROM us LEFT JOIN raw.events AS e ON true GROUP BY us.id\n");
        ProjectFixture.at(project).write("models/us_daily.sql", "/*---\ntags: [daily]\n---*/\nSELECT count(*) AS n FROM us\n");
        String reason = "Cannot read source raw.events (sluice.yml:4:3): the folder data/events does not exist";

        String graph = ProjectFixture.sluice(2, "run", project.toString(), "--select", "us+");
        assertThat(graph).contains("Cannot select model 'mix': selector 'us+' includes it, and it reads a source "
                + "that cannot be read now (see below); leave it out with --exclude mix, or fix the source")
                .contains(reason).doesNotContain("succeeded");
        assertThat(ProjectFixture.sluice(2, "run", project.toString(), "--select", "tag:daily"))
                .contains("Cannot select model 'mix': selector 'tag:daily' includes it").contains(reason);

        assertThat(ProjectFixture.sluice(0, "run", project.toString(), "--select", "us+", "--exclude", "mix"))
                .contains("2 succeeded, 0 failed");
    }

    /** A when: condition or relationships rule that reads a model set aside blocks only the model that has it. */
    @Test
    void aConditionOrRelationshipsRuleNamingAModelSetAsideBlocksOnlyItsOwnModel() {
        ProjectFixture.at(project).write("models/gated.sql", "/*---\nwhen: rows(ev) > 0\n---*/\nSELECT id FROM us\n");
        ProjectFixture.at(project).write("models/linked.sql", "/*---\nquality:\n  - relationships: { column: id, to: ev }\n"
                + "    severity: warn\n---*/\nSELECT id FROM us\n");
        String reason = "Cannot read source raw.events (sluice.yml:4:3): the folder data/events does not exist";

        assertThat(ProjectFixture.sluice(0, "run", project.toString(), "--select", "us")).contains("1 succeeded, 0 failed");
        assertThat(ProjectFixture.sluice(0, "ls", project.toString())).contains("main.gated").contains("main.linked");
        assertThat(ProjectFixture.sluice(2, "run", project.toString(), "--select", "gated")).contains("Cannot select model 'gated': "
                + "its when: condition reads model 'ev', which cannot be planned now: " + reason);
        assertThat(ProjectFixture.sluice(2, "run", project.toString(), "--select", "us+")).contains("Cannot select model 'linked': "
                + "its relationships rule reads model 'ev', which cannot be planned now: " + reason)
                .contains("Cannot select model 'gated'");
    }

    /** Runs as root too (root reads every folder, so the permission test below is skipped there). */
    @Test
    void aFileWhereTheFolderShouldBeIsSaidSo() {
        ProjectFixture.at(project).write("data/events", "id\n1\n");

        assertThat(ProjectFixture.sluice(2, "run", project.toString(), "--select", "ev")).contains("Cannot read source raw.events"
                + " (sluice.yml:4:3): the path data/events is a file, not a folder, so no file matches path "
                + "data/events/*.csv; move that file into a folder of that name, or fix the source's path in "
                + "sluice.yml").doesNotContain("CREATE").doesNotContain("read_csv(");
        ProjectFixture.sluice(0, "run", project.toString(), "--select", "us");
    }

    @Test
    void anUnreadableFolderIsAPermissionProblem() throws Exception {
        Assumptions.assumeFalse("root".equals(System.getProperty("user.name")), "root reads every folder");
        ProjectFixture.at(project).write("data/events/e.csv", "id\n1\n");
        Path events = project.resolve("data/events");
        Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("---------"));
        try {
            assertThat(ProjectFixture.sluice(2, "run", project.toString(), "--select", "ev")).contains("Cannot read source"
                    + " raw.events (sluice.yml:4:3): the folder data/events cannot be read (permission denied)");
            ProjectFixture.sluice(0, "run", project.toString(), "--select", "us");
        } finally {
            Files.setPosixFilePermissions(events, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
