package dev.kafkaconsumer.benchmarks.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import dev.kafkaconsumer.benchmarks.report.HeadlineRatio.Comparison;

class SummaryReportTest {

    private static final String MACHINE = "2 cores (Test CPU), 1.0 GiB, Linux, openjdk \"17\"";

    private final List<HeadlineRatio> ratios = List.of(
            ratio("b1", "engine / raw", 1.013, Comparison.AT_LEAST, 0.95, "2026-11-28T15:00:00Z"),
            ratio("b2", "container / raw", 0.151, Comparison.AT_LEAST, 0.9, "2026-11-28T15:05:00Z"),
            ratio("b5", "heap <5M> & <1M>", 1.05, Comparison.AT_MOST, 1.2, "2026-11-28T15:10:00Z"),
            ratio("b6", "eager / cooperative gap", 12.5, Comparison.NONE, 0, "2026-11-28T15:10:00Z"));

    @TempDir
    Path results;

    @Test
    void theChartIsWellFormedSvgWithOneBarAndOneLabelPerRatioAndATargetLineWhereThereIsATarget() throws Exception {
        Document svg = parse(new SummaryReport(ratios).toSvg());

        assertThat(svg.getDocumentElement().getTagName()).isEqualTo("svg");
        NodeList rects = svg.getElementsByTagName("rect");
        List<Element> bars = elements(rects).stream().filter(r -> "bar".equals(r.getAttribute("class"))).toList();
        assertThat(bars).hasSize(4);
        assertThat(bars).extracting(b -> b.getAttribute("fill"))
                .containsExactly(SummaryChart.MET, SummaryChart.NOT_MET, SummaryChart.MET, SummaryChart.NO_TARGET);
        assertThat(elements(svg.getElementsByTagName("line")).stream().filter(l -> "target".equals(l.getAttribute("class"))))
                .hasSize(3);
        String texts = svg.getDocumentElement().getTextContent();
        assertThat(texts).contains("engine / raw", "container / raw", "heap <5M> & <1M>", "eager / cooperative gap",
                "1.013", "0.151", "(target ≥ 0.900)", "Test CPU", "2026-11-28T15:00:00Z");
    }

    @Test
    void aLongerBarMeansALargerRatioOnTheLogarithmicAxisAndTicksCoverEveryValue() {
        SummaryChart chart = new SummaryChart(ratios);

        assertThat(chart.x(0.151)).isLessThan(chart.x(0.9)).isLessThan(chart.x(1.013)).isLessThan(chart.x(12.5));
        assertThat(chart.x(2) - chart.x(1)).isCloseTo(chart.x(1) - chart.x(0.5), org.assertj.core.data.Offset.offset(0.01));
        assertThat(chart.ticks()).contains(0.1, 1.0, 10.0).allMatch(t -> t >= 0.1 && t <= 100);
    }

    @Test
    void aRatioThatCouldNotBeMeasuredIsShownWithoutABarAndAsNotMet() throws Exception {
        List<HeadlineRatio> one = List.of(ratio("b5", "heap", Double.NaN, Comparison.AT_MOST, 1.2, "2026-11-28T15:00:00Z"));

        Document svg = parse(new SummaryReport(one).toSvg());

        assertThat(elements(svg.getElementsByTagName("rect")).stream().filter(r -> "bar".equals(r.getAttribute("class")))).isEmpty();
        assertThat(svg.getDocumentElement().getTextContent()).contains("not measured");
        assertThat(new SummaryReport(one).toMarkdown()).contains("| B5 | heap | NaN | ≤ 1.200 | **not met** |");
    }

    @Test
    void aDifferenceIsShownAsTextInItsVerdictsColourWithoutABarAndLeavesTheRatioAxisAlone() throws Exception {
        List<HeadlineRatio> withDifference = List.of(
                ratio("b1", "engine / raw", 1.013, Comparison.AT_LEAST, 0.95, "2026-11-28T15:00:00Z"),
                new HeadlineRatio("b4", "container p99 − raw p99", 7.5, Comparison.AT_MOST, 5, Instant.parse("2026-11-28T15:00:00Z"),
                        MACHINE, HeadlineRatio.Unit.MILLISECONDS));

        Document svg = parse(new SummaryReport(withDifference).toSvg());

        assertThat(elements(svg.getElementsByTagName("rect")).stream().filter(r -> "bar".equals(r.getAttribute("class")))).hasSize(1);
        assertThat(elements(svg.getElementsByTagName("line")).stream().filter(l -> "target".equals(l.getAttribute("class")))).hasSize(1);
        assertThat(elements(svg.getElementsByTagName("text")).stream().filter(t -> "difference".equals(t.getAttribute("class"))))
                .singleElement()
                .satisfies(t -> assertThat(t.getTextContent()).isEqualTo("7.500 ms"))
                .satisfies(t -> assertThat(t.getAttribute("fill")).isEqualTo(SummaryChart.NOT_MET));
        assertThat(new SummaryChart(withDifference).ticks()).allMatch(t -> t >= 0.1 && t <= 10);
        assertThat(new SummaryReport(withDifference).toMarkdown())
                .contains("| B4 | container p99 − raw p99 | 7.500 ms | ≤ 5.000 ms | **not met** |");
    }

    @Test
    void aRatioOfZeroIsShownAsItsValueWithoutABarNotAsUnmeasured() throws Exception {
        List<HeadlineRatio> zero = List.of(ratio("b7", "fairness", 0, Comparison.AT_LEAST, 0.5, "2026-11-28T15:00:00Z"));

        Document svg = parse(new SummaryReport(zero).toSvg());

        assertThat(elements(svg.getElementsByTagName("rect")).stream().filter(r -> "bar".equals(r.getAttribute("class")))).isEmpty();
        assertThat(svg.getDocumentElement().getTextContent()).contains("0.000").doesNotContain("not measured");
    }

    @Test
    void aCountIsShownWholeAsTextInItsVerdictsColourWithoutABar() throws Exception {
        List<HeadlineRatio> withCount = List.of(new HeadlineRatio("b12", "order violations", 0, Comparison.AT_MOST, 0,
                Instant.parse("2026-11-28T15:00:00Z"), MACHINE, HeadlineRatio.Unit.COUNT));

        Document svg = parse(new SummaryReport(withCount).toSvg());

        assertThat(elements(svg.getElementsByTagName("rect")).stream().filter(r -> "bar".equals(r.getAttribute("class")))).isEmpty();
        assertThat(elements(svg.getElementsByTagName("text")).stream().filter(t -> "difference".equals(t.getAttribute("class"))))
                .singleElement()
                .satisfies(t -> assertThat(t.getTextContent()).isEqualTo("0"))
                .satisfies(t -> assertThat(t.getAttribute("fill")).isEqualTo(SummaryChart.MET));
        assertThat(new SummaryReport(withCount).toMarkdown()).contains("| B12 | order violations | 0 | ≤ 0 | met |");
    }

    @Test
    void theMarkdownHasOneRowPerRatioAndTheCaptionNamesTheMachineOnceAndTheDates() {
        String md = new SummaryReport(ratios).toMarkdown();

        assertThat(md).contains("| B1 | engine / raw | 1.013 | ≥ 0.950 | met | 2026-11-28T15:00:00Z |",
                "| B2 | container / raw | 0.151 | ≥ 0.900 | **not met** |",
                "| B5 | heap <5M> & <1M> | 1.050 | ≤ 1.200 | met |",
                "| B6 | eager / cooperative gap | 12.500 | — | — |",
                "from 2026-11-28T15:00:00Z to 2026-11-28T15:10:00Z");
        assertThat(md.split("Test CPU", -1)).hasSize(2);
    }

    @Test
    void rebuildReadsTheRatioFilesOfEachCaseAndWritesBothFiles() throws Exception {
        HeadlineRatios.write(results, "b1", ratios.subList(0, 1));
        HeadlineRatios.write(results, "b2", ratios.subList(1, 2));

        SummaryReport.rebuild(results);

        assertThat(Files.readString(results.resolve(SummaryReport.MARKDOWN))).contains("engine / raw", "container / raw");
        assertThat(parse(Files.readString(results.resolve(SummaryReport.CHART))).getDocumentElement().getTextContent())
                .contains("engine / raw", "container / raw");
    }

    @Test
    void theCommittedSummaryAndChartAreWhatTheCommittedRatioFilesRebuildByteForByte() throws Exception {
        for (String benchCase : List.of("b1", "b2", "b3", "b4", "b5", "b6")) {
            Files.writeString(results.resolve(benchCase + HeadlineRatios.SUFFIX), Golden.read("committed/" + benchCase + "-ratios.tsv"),
                    StandardCharsets.UTF_8);
        }

        SummaryReport.rebuild(results);

        assertThat(Files.readString(results.resolve(SummaryReport.MARKDOWN))).isEqualTo(Golden.read("committed/summary.md"));
        assertThat(Files.readString(results.resolve(SummaryReport.CHART))).isEqualTo(Golden.read("committed/summary.svg"));
    }

    @Test
    void withoutRatiosTheSummarySaysSo() {
        assertThat(new SummaryReport(List.of()).toMarkdown())
                .contains("| — | no case has written its ratios yet | | | | |\n")
                .contains("No measurements yet.");
    }

    @Test
    void aLongCaptionIsWrappedAtWordsWithinTheWidth() {
        List<String> lines = SummaryChart.wrap("one two three four five six", 9);

        assertThat(lines).containsExactly("one two", "three", "four five", "six");
    }

    private static Document parse(String xml) throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> elements(NodeList nodes) {
        return java.util.stream.IntStream.range(0, nodes.getLength()).mapToObj(i -> (Element) nodes.item(i)).toList();
    }

    private static HeadlineRatio ratio(String benchCase, String name, double value, Comparison comparison, double target, String when) {
        return new HeadlineRatio(benchCase, name, value, comparison, target, Instant.parse(when), MACHINE);
    }
}
