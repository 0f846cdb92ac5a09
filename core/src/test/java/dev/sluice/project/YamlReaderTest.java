package dev.sluice.project;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import org.junit.jupiter.api.Test;

class YamlReaderTest {
    @Test
    void locatesKeysAndValues() throws YamlReader.SyntaxError {
        YamlNode.Mapping root = (YamlNode.Mapping) YamlReader.read("a: 1\nb:\n  - x\n  - yes\n");

        assertThat(root.entries().get("b").line()).isEqualTo(2);
        YamlNode.Sequence list = (YamlNode.Sequence) root.get("b");
        assertThat(list.items()).hasSize(2);
        YamlNode.Scalar yes = (YamlNode.Scalar) list.items().get(1);
        assertThat(yes.line()).isEqualTo(4);
        assertThat(yes.column()).isEqualTo(5);
        assertThat(yes.type()).isEqualTo(YamlNode.Scalar.Type.BOOLEAN);
        assertThat(yes.booleanValue()).isTrue();
        assertThat(root.get("missing")).isNull();
    }

    @Test
    void shiftsPositionsOfAnExcerpt() throws YamlReader.SyntaxError {
        YamlNode.Mapping root = (YamlNode.Mapping) YamlReader.read("a: 1\nb: 2\n", 10, 6);

        assertThat(root.entries().get("a")).extracting(YamlNode.Entry::line, YamlNode.Entry::column).containsExactly(10, 6);
        assertThat(root.entries().get("b")).extracting(YamlNode.Entry::line, YamlNode.Entry::column).containsExactly(11, 1);
    }

    @Test
    void reportsTextAfterTheDocument() {
        YamlReader.SyntaxError error = catchThrowableOfType(YamlReader.SyntaxError.class, () -> YamlReader.read(" a: 1\nb: 2\n"));

        assertThat(error.getMessage()).isEqualTo("expected '<document start>', but found '<block mapping start>'");
        assertThat(error.line()).isEqualTo(2);
    }

    @Test
    void refusesSeveralDocuments() {
        YamlReader.SyntaxError error = catchThrowableOfType(YamlReader.SyntaxError.class, () -> YamlReader.read("a: 1\n---\nb: 2\n", 3, 1));

        assertThat(error.getMessage()).isEqualTo("more than one YAML document; remove the --- separator");
        assertThat(error.line()).isEqualTo(5);
    }

    @Test
    void returnsNullForAnEmptyDocument() throws YamlReader.SyntaxError {
        assertThat(YamlReader.read("# only a comment\n")).isNull();
    }

    @Test
    void reportsSyntaxErrorsWithoutTheSnippet() {
        YamlReader.SyntaxError error = catchThrowableOfType(YamlReader.SyntaxError.class, () -> YamlReader.read("a: [1,\n"));

        assertThat(error.getMessage()).isEqualTo("while parsing a flow node; expected the node content, but found '<stream end>'");
        assertThat(error.line()).isEqualTo(2);
        assertThat(error.column()).isEqualTo(1);
    }

    @Test
    void describesKinds() {
        assertThat(new YamlNode.Scalar(YamlNode.Scalar.Type.DECIMAL, "1.5", 1, 1).kind()).isEqualTo("a decimal number");
        assertThat(new YamlNode.Scalar(YamlNode.Scalar.Type.BOOLEAN, "false", 1, 1).booleanValue()).isFalse();
        assertThat(YamlReader.describe("   \n")).isEmpty();
    }
}
