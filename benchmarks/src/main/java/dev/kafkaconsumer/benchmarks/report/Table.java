package dev.kafkaconsumer.benchmarks.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A Markdown table of a result file: columns, each with a header and an alignment, then rows of
 * cells. A case declares its columns and adds its rows; the layout (pipes, the alignment row, an
 * empty cell) is written here once, so every result file of the suite has the same shape.
 *
 * <pre>
 * Table table = new Table().left("contender").right("median records/s", "min records/s");
 * table.row("raw", Format.rate(median), Format.rate(min));
 * </pre>
 *
 * Not thread-safe: built and rendered by the thread that writes the result.
 */
public final class Table {

    private final List<String> headers = new ArrayList<>();
    private final List<String> alignments = new ArrayList<>();
    private final List<List<String>> rows = new ArrayList<>();

    /**
     * Adds left-aligned columns (text: names, labels, lists).
     *
     * @param headers the columns' headers, in order
     * @return this table
     */
    public Table left(String... headers) {
        return columns("---", headers);
    }

    /**
     * Adds right-aligned columns (numbers).
     *
     * @param headers the columns' headers, in order
     * @return this table
     */
    public Table right(String... headers) {
        return columns("---:", headers);
    }

    private Table columns(String alignment, String... headers) {
        if (!rows.isEmpty()) {
            throw new IllegalStateException("Declare every column of a table before its first row");
        }
        for (String header : headers) {
            this.headers.add(header);
            this.alignments.add(alignment);
        }
        return this;
    }

    /**
     * Adds a row, one cell per column; each cell is {@link String#valueOf(Object) written as text}.
     *
     * @param cells the cells, in column order; an empty cell is left blank
     * @return this table
     * @throws IllegalArgumentException when the row has more or fewer cells than the table has columns
     */
    public Table row(Object... cells) {
        if (cells.length != headers.size()) {
            throw new IllegalArgumentException("A row of " + cells.length + " cells in a table of " + headers.size()
                    + " columns " + headers + ": " + Arrays.toString(cells));
        }
        rows.add(Arrays.stream(cells).map(String::valueOf).toList());
        return this;
    }

    /** How many rows the table has. */
    public int rows() {
        return rows.size();
    }

    /**
     * The table as Markdown: the header row, the alignment row and one line per row, each ending with a
     * newline. A table without rows is its header alone.
     */
    public String toMarkdown() {
        StringBuilder md = new StringBuilder("| ").append(String.join(" | ", headers)).append(" |\n");
        md.append('|').append(String.join("|", alignments)).append("|\n");
        for (List<String> row : rows) {
            md.append('|');
            for (String cell : row) {
                // an empty cell is one space wide, as the tables written by hand had it
                md.append(cell.isEmpty() ? " |" : " " + cell + " |");
            }
            md.append('\n');
        }
        return md.toString();
    }
}
