package dev.sluice.bench.deequ

import com.amazon.deequ.VerificationSuite
import com.amazon.deequ.checks.{Check, CheckLevel, CheckStatus}
import com.amazon.deequ.constraints.ConstraintStatus
import org.apache.spark.sql.SparkSession

import java.io.{FileOutputStream, OutputStreamWriter}
import java.nio.charset.StandardCharsets
import java.util.{Locale, Properties}

/**
 * The peer of QualityBenchmark (bench/src): the same 10 rules on the same rows, as a Deequ VerificationSuite on a
 * local Spark session reading the Parquet files QualityBenchmark exported from the Sluice table.
 *
 * Rule mapping (Sluice rule -> Deequ constraint):
 *  - not_null(event_id|customer_id|event_date)  -> isComplete x3
 *  - unique(event_id)                             -> isUnique (Deequ's grouping pass)
 *  - range(quantity 1..20), range(amount 0..5000) -> isContainedIn(column, lower, upper) x2 (NULL passes, as in Sluice)
 *  - accepted_values(status)                      -> isContainedIn(column, Array(...)) (NULL passes, as in Sluice)
 *  - regex(sku, 'SKU-[0-9]{1,7}')                 -> hasPattern(sku, "^(?:SKU-[0-9]{1,7})$") (anchored: Sluice
 *                                                    uses regexp_full_match, Deequ's hasPattern finds a match)
 *  - relationships(customer_id -> customers)      -> Deequ 2.0.7 has no such constraint in a Check: the suite runs
 *                                                    on events LEFT JOIN (SELECT DISTINCT customer_id FROM customers)
 *                                                    and checks satisfies("customer_id IS NULL OR __dim_key IS NOT
 *                                                    NULL"). The join is inside every timed run, like the LEFT JOIN
 *                                                    in Sluice's gate scan.
 *  - row_count(min 1, max 1e10)                  -> hasSize
 *
 * Each round = read Parquet + both of Deequ's passes (scanning analyzers, then the uniqueness grouping) + judging.
 * Args: --events P --customers P --rows N --csv-bytes B --rounds K --cores C --out result.properties
 */
object DeequBenchmark {

  def main(args: Array[String]): Unit = {
    val options = args.grouped(2).collect { case Array(k, v) => k.stripPrefix("--") -> v }.toMap
    def need(key: String): String = options.getOrElse(key, sys.error(s"missing --$key"))
    val events = need("events")
    val customers = need("customers")
    val expectedRows = need("rows").toLong
    val csvBytes = need("csv-bytes").toLong
    val rounds = options.getOrElse("rounds", "3").toInt
    val cores = options.getOrElse("cores", Runtime.getRuntime.availableProcessors.toString).toInt

    val startup = System.nanoTime()
    val spark = SparkSession.builder()
      .master(s"local[$cores]")
      .appName("sluice-deequ-bench")
      .config("spark.ui.enabled", "false")
      .config("spark.sql.shuffle.partitions", (cores * 4).toString)
      .config("spark.driver.host", "127.0.0.1")
      .config("spark.driver.bindAddress", "127.0.0.1")
      .getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    val startupSeconds = (System.nanoTime() - startup) / 1e9
    println(f"Spark ${spark.version} local[$cores] session started in $startupSeconds%.1f s")

    def suite(): (Double, Long, Boolean, String) = {
      val dim = spark.read.parquet(customers).selectExpr("customer_id AS __dim_key").distinct()
      val frame = spark.read.parquet(events).join(dim, dim("__dim_key") === org.apache.spark.sql.functions.col("customer_id"), "left")
      val check = Check(CheckLevel.Error, "sluice quality benchmark: 10 rules")
        .isComplete("event_id")
        .isComplete("customer_id")
        .isComplete("event_date")
        .isUnique("event_id")
        .isContainedIn("quantity", 1.0, 20.0, includeLowerBound = true, includeUpperBound = true)
        .isContainedIn("amount", 0.0, 5000.0, includeLowerBound = true, includeUpperBound = true)
        .isContainedIn("status", Array("placed", "shipped", "delivered", "returned", "cancelled"))
        .hasPattern("sku", "^(?:SKU-[0-9]{1,7})$".r)
        .satisfies("customer_id IS NULL OR __dim_key IS NOT NULL", "relationships(customer_id)", _ == 1.0)
        .hasSize(n => n >= 1L && n <= 10000000000L)
      val start = System.nanoTime()
      val result = VerificationSuite().onData(frame).addCheck(check).run()
      val seconds = (System.nanoTime() - start) / 1e9
      val checkResult = result.checkResults(check)
      val constraints = checkResult.constraintResults
      val failures = constraints.filter(_.status != ConstraintStatus.Success)
        .map(c => s"${c.constraint}: ${c.message.getOrElse("")}").mkString("; ")
      val size = result.metrics.collectFirst {
        case (analyzer, metric) if analyzer.getClass.getSimpleName == "Size" => metric.value.get.asInstanceOf[Double].toLong
      }.getOrElse(-1L)
      require(constraints.size == 10, s"expected 10 constraints, got ${constraints.size}")
      (seconds, size, checkResult.status == CheckStatus.Success, failures)
    }

    val warm = suite()
    println(f"warm-up: ${warm._1}%.2f s, rows ${warm._2}, passed ${warm._3}${if (warm._4.isEmpty) "" else " (" + warm._4 + ")"}")
    require(warm._2 == expectedRows, s"Deequ counted ${warm._2} rows, expected $expectedRows")
    val times = (1 to rounds).map { round =>
      val (seconds, size, passed, failures) = suite()
      val load = scala.util.Try(new String(java.nio.file.Files.readAllBytes(java.nio.file.Paths.get("/proc/loadavg"))).trim.split("\\s+").take(3).mkString(" ")).getOrElse("unknown")
      println(f"round $round: ${seconds}%.2f s, rows $size, passed $passed, load average $load${if (failures.isEmpty) "" else " (" + failures + ")"}")
      seconds
    }
    spark.stop()

    val sorted = times.sorted
    val median = if (sorted.size % 2 == 1) sorted(sorted.size / 2) else (sorted(sorted.size / 2 - 1) + sorted(sorted.size / 2)) / 2
    val mb = csvBytes / 1e6
    println(String.format(Locale.ROOT, "Deequ median %.2f s over %d rounds: %.0f rows/s, %.1f MB/s total, %.1f MB/s per core",
      Double.box(median), Int.box(rounds), Double.box(expectedRows / median), Double.box(mb / median),
      Double.box(mb / median / cores)))

    val props = new Properties()
    props.setProperty("deequ.version", "2.0.7-spark-3.5")
    props.setProperty("deequ.spark", spark.version)
    props.setProperty("deequ.cores", cores.toString)
    props.setProperty("deequ.rounds", rounds.toString)
    props.setProperty("deequ.seconds", times.map(t => String.format(Locale.ROOT, "%.3f", Double.box(t))).mkString(","))
    props.setProperty("deequ.median_s", String.format(Locale.ROOT, "%.3f", Double.box(median)))
    props.setProperty("deequ.warmup_s", String.format(Locale.ROOT, "%.3f", Double.box(warm._1)))
    props.setProperty("deequ.passed", warm._3.toString)
    val out = new OutputStreamWriter(new FileOutputStream(need("out")), StandardCharsets.UTF_8)
    try props.store(out, "Deequ peer of the Sluice quality benchmark") finally out.close()
  }
}
