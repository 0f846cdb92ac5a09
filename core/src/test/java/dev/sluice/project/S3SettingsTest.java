package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.ProjectFixture;
import dev.sluice.SluiceException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** sluice.yml's s3: at the project level and per source, and the s3:// paths of sources and lake outputs. */
class S3SettingsTest {
    @TempDir
    Path dir;

    @Test
    void aSourceOverridesTheProjectsEndpointAndKeepsItsBuckets() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                s3: { endpoint: http://localhost:9000, region: eu-west-1, path_style: true, buckets: [lake] }
                sources:
                  raw.a:
                    type: files
                    path: s3://lake/a/*.csv
                    s3: { endpoint: "http://other:9000" }
                    retries: 0
                """);
        Project project = ProjectReader.read(dir, Map.of(), Map.of());
        assertThat(project.s3()).isEqualTo(new S3Settings("http://localhost:9000", "eu-west-1", true, List.of("lake")));
        SourceSpec.Files spec = (SourceSpec.Files) project.sources().get(0).spec();
        assertThat(spec.path()).isEqualTo("s3://lake/a/*.csv");
        assertThat(spec.s3().settings()).isEqualTo(new S3Settings("http://other:9000", "eu-west-1", true,
                List.of("lake")));
        assertThat(spec.s3().retries()).isZero();
    }

    @Test
    void refusesBadSettingsAndS3KeysOnLocalFiles() {
        ProjectFixture.at(dir).files("sluice.yml", """
                name: shop
                s3: { endpoint: "http://key:secret@host", buckets: [Bad_Bucket], secret_key: x }
                sources:
                  raw.a:
                    type: files
                    path: data/*.csv
                    retries: 2
                  raw.b:
                    type: files
                    path: s3://
                """);
        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));
        assertThat(e.problems()).anySatisfy(p -> assertThat(p).contains("Cannot read s3: unknown key 'secret_key'"))
                .anySatisfy(p -> assertThat(p).contains("Cannot read s3 endpoint: expected a server URL such as "
                        + "http://localhost:9000 (no path, no credentials: those come from the environment)"))
                .allSatisfy(p -> assertThat(p).doesNotContain("secret@"))
                .anySatisfy(p -> assertThat(p).contains("Cannot read s3 buckets: 'Bad_Bucket' is not a bucket name"))
                .anySatisfy(p -> assertThat(p).contains("Cannot read source raw.a: retries applies only to objects in "
                        + "S3 (path: s3://...); remove it"))
                .anySatisfy(p -> assertThat(p).contains("Cannot read source raw.b: 's3://' is not an object path; "
                        + "write s3://bucket/prefix/*.csv"));
    }

    @Test
    void aLakeOutputOnS3IsCachedUnderTarget() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ns3: { buckets: [lake] }\n",
                "models/m.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: s3://lake/marts/m }\n"
                        + "---*/\nSELECT 1 AS x\n");
        Model model = ProjectReader.read(dir, Map.of(), Map.of()).model("m").orElseThrow();
        assertThat(model.lakeInS3()).isTrue();
        assertThat(model.lakeFolder(dir)).isEqualTo(dir.resolve("target/lake-s3/lake/marts/m"));
    }

    @Test
    void refusesALakePathThatIsNotAFolderInABucket() {
        ProjectFixture.at(dir).files("sluice.yml", "name: shop\ns3: { buckets: [lake] }\n",
                "models/m.sql", "/*---\nmaterialized: table\nstorage: { format: parquet, path: s3://lake }\n"
                        + "---*/\nSELECT 1 AS x\n");
        SluiceException e = ProjectFixture.failure(() -> ProjectReader.read(dir, Map.of(), Map.of()));
        assertThat(e.problems()).singleElement().asString().contains("Cannot read front matter storage path: "
                + "'s3://lake' is not a folder in a bucket; write s3://bucket/prefix");
    }
}
