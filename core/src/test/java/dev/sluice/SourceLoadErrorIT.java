package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A source that plans but fails to load at run time is reported in the user's terms: the source, its sluice.yml
 * location, its path and DuckDB's cause, never the SQL Sluice wrote to load it.
 */
class SourceLoadErrorIT {
    @TempDir
    Path dir;

    @Test
    void aValueBeyondTheSniffedLinesNamesTheSourceAndPathNotTheSql() {
        Path project = ProjectFixture.copyTo("load_error_beyond_sniffed_lines", dir.resolve("p")).root();
        // DuckDB's sniffer reads the first lines when planning: the bad value lies past them, so only the load
        // meets it.
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i).append('\n');
        }
        csv.append("30000,not a number\n");
        ProjectFixture.at(project).write("data/amounts/a.csv", csv.toString());
        ProjectFixture.at(project).write("models/total.sql", "SELECT sum(amount) AS total FROM raw.amounts\n");

        String out = ProjectFixture.sluice(1, "run", project.toString());

        assertThat(out).contains("Cannot load source raw.amounts (sluice.yml:3:3) from path data/amounts/*.csv: "
                + "Conversion Error: CSV Error on Line: 30002; Original Line: 30000,not a number; Error when converting"
                + " column \"amount\". Could not convert string \"not a number\" to 'BIGINT'; fix the data, or the "
                + "source's definition in sluice.yml")
                .doesNotContain("CREATE OR REPLACE").doesNotContain("read_csv(").doesNotContain("sample_size");
    }

    /** A tracked source (its files loaded one by one as they arrive) reports a failed load the same way. */
    @Test
    void aTrackedSourcesFailedLoadNamesTheSourceAndPathNotTheSql() {
        Path project = ProjectFixture.copyTo("load_error_tracked_source", dir.resolve("t")).root();
        StringBuilder csv = new StringBuilder("id,amount\n");
        for (int i = 0; i < 30_000; i++) {
            csv.append(i).append(',').append(i).append('\n');
        }
        csv.append("30000,not a number\n");
        ProjectFixture.at(project).write("data/amounts/a.csv", csv.toString());
        ProjectFixture.at(project).write("models/total.sql", "SELECT sum(amount) AS total FROM raw.amounts\n");

        String out = ProjectFixture.sluice(1, "run", project.toString());

        assertThat(out).contains("raw.amounts (sluice.yml:3:3)").contains("data/amounts")
                .contains("Could not convert string \"not a number\"")
                .doesNotContain("CREATE OR REPLACE").doesNotContain("read_csv(").doesNotContain("INSERT INTO");
    }
}
