package dev.kafkaconsumer.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import org.junit.jupiter.api.Test;

class TableTest {

    @Test
    void rendersTheHeaderTheAlignmentOfEachColumnAndOneLinePerRow() {
        Table table = new Table().left("contender").right("median records/s", "min records/s").left("met");
        table.row("raw", Format.rate(4_928_117.4), Format.rate(4_587_670), "met");
        table.row("container", "4,674,755", 3_874_689, Format.verdict(false));

        assertThat(table.toMarkdown()).isEqualTo("""
                | contender | median records/s | min records/s | met |
                |---|---:|---:|---|
                | raw | 4,928,117 | 4,587,670 | met |
                | container | 4,674,755 | 3874689 | **not met** |
                """);
        assertThat(table.rows()).isEqualTo(2);
    }

    @Test
    void anEmptyCellIsOneSpaceWideAsTheCommittedTablesHaveIt() {
        Table table = new Table().left("difference").right("median", "min", "max");
        table.row("median container p99 − median raw p99 (not pairwise)", "0.08", "", "");

        assertThat(table.toMarkdown()).endsWith("| median container p99 − median raw p99 (not pairwise) | 0.08 | | |\n");
    }

    @Test
    void aTableWithoutRowsIsItsHeader() {
        assertThat(new Table().left("ratio to classic eager, containers (median over median)").right("value").toMarkdown())
                .isEqualTo("| ratio to classic eager, containers (median over median) | value |\n|---|---:|\n");
    }

    @Test
    void aRowMustHaveACellForEveryColumnAndColumnsComeBeforeRows() {
        Table table = new Table().left("a", "b");

        assertThatIllegalArgumentException().isThrownBy(() -> table.row("only one"))
                .withMessageContaining("A row of 1 cells in a table of 2 columns [a, b]");
        table.row("1", "2");
        assertThatIllegalStateException().isThrownBy(() -> table.right("c"));
    }
}
