package io.jdamon.web.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Only plain files directly in the records folder can be opened through the page. */
class RecordFolderTest {

    @TempDir
    Path dir;
    Path records;
    RecordFolder folder;

    @BeforeEach
    void setUp() throws Exception {
        records = Files.createDirectories(dir.resolve("records"));
        Files.writeString(dir.resolve("secret.json"), "{}");
        Files.writeString(records.resolve("run.json"), "{}");
        folder = new RecordFolder(records);
    }

    @Test
    void aFileInTheFolderIsOpened() throws Exception {
        assertThat(folder.resolve("run.json")).isEqualTo(records.resolve("run.json"));
        assertThat(folder.list()).contains("\"name\":\"run.json\"");
    }

    @Test
    void aParentPathIsRefused() {
        assertThatThrownBy(() -> folder.resolve("../secret.json")).hasMessageContaining("not a plain file name");
        assertThatThrownBy(() -> folder.resolve("..")).hasMessageContaining("not a plain file name");
    }

    @Test
    void anAbsolutePathIsRefused() {
        assertThatThrownBy(() -> folder.resolve(dir.resolve("secret.json").toString()))
                .hasMessageContaining("not a plain file name");
    }

    @Test
    void aSymbolicLinkIsRefusedEvenToAFileInside() throws Exception {
        Files.createSymbolicLink(records.resolve("out.json"), dir.resolve("secret.json"));
        Files.createSymbolicLink(records.resolve("in.json"), records.resolve("run.json"));
        assertThatThrownBy(() -> folder.resolve("out.json")).hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> folder.resolve("in.json")).hasMessageContaining("symbolic link");
        assertThat(folder.list()).doesNotContain("out.json", "in.json");
    }

    @Test
    void aMissingFileIsNamed() {
        assertThatThrownBy(() -> folder.resolve("gone.json")).hasMessageContaining("no record file 'gone.json' in "
                + records);
    }

    @Test
    void aFileThatIsNoRecordSaysWhatIsWrong() throws Exception {
        Files.writeString(records.resolve("bad.json"), "not json");
        assertThatThrownBy(() -> folder.columns("bad.json")).isInstanceOf(RecordFolder.Refused.class)
                .hasMessageContaining("bad.json");
    }
}
