package dev.cancelable.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.shouldNotBe
import io.kotest.matchers.string.shouldMatch
import java.io.File
import java.math.BigDecimal
import java.net.URLClassLoader
import java.util.Random
import java.util.concurrent.CyclicBarrier
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration

private val ID = Regex("[0-9a-f]{32}")

class FormatAndIdsTest : FunSpec({

    fun reference(duration: java.time.Duration): String {
        val seconds = BigDecimal.valueOf(duration.seconds).add(BigDecimal.valueOf(duration.nano.toLong(), 9))
        val plain = seconds.stripTrailingZeros().toPlainString()
        return if ('.' in plain) plain else "$plain.0"
    }

    test("formatSecondsPrintsWhatTheDecimalFormDoesForEveryShapeOfDuration") {
        val samples = listOf(
            0.seconds, 5.seconds, 60.seconds, 100.seconds, 3600.seconds, 2500.milliseconds, 100.milliseconds,
            1.milliseconds, 100_000.nanoseconds, 1.nanoseconds, 1_000_000_001.nanoseconds, 120_050.milliseconds,
            (-500).milliseconds, (-2).seconds, (-1_500_000_001).nanoseconds,
        )
        for (duration in samples) {
            val java = duration.toJavaDuration()
            formatSeconds(duration) shouldBe reference(java)
            formatSeconds(java) shouldBe reference(java)
            // twice: the second call may come from the one-entry cache
            formatSeconds(duration) shouldBe reference(java)
        }
        formatSeconds(2.5.seconds) shouldBe "2.5"
        formatSeconds(0.0001.seconds) shouldBe "0.0001"
    }

    test("idsAre32LowercaseHexCharacters") {
        repeat(10_000) { Ids.next() shouldMatch ID }
    }

    test("aMillionIdsMadeOnSeveralThreadsAreAllDifferent") {
        val threads = 4
        val perThread = 250_000
        val start = CyclicBarrier(threads)
        val pool = Executors.newFixedThreadPool(threads)
        try {
            val batches = List(threads) {
                pool.submit<Array<String>> {
                    start.await()
                    Array(perThread) { Ids.next() }
                }
            }.map { it.get(1, TimeUnit.MINUTES) }
            val all = HashSet<String>(threads * perThread * 2)
            for (batch in batches) for (id in batch) all += id
            all.size shouldBe threads * perThread
        } finally {
            pool.shutdownNow()
        }
    }

    test("consecutiveIdsDifferFromTheirFirstCharacters") {
        // logs and consoles show the start of an id, so the start must tell ids apart
        val ids = List(4_096) { Ids.next() }
        ids.map { it.take(8) }.toSet().size shouldBe ids.size
        ids.map { it.first() }.toSet().size shouldBe 16
    }

    test("generatorsInitialisedSeparatelyShareNoPerProcessPart") {
        // the object as two processes would see it: loaded and initialised twice
        fun freshIds(): List<String> {
            val urls = arrayOf(File("target/classes").toURI().toURL())
            val loader = object : URLClassLoader(urls, FormatAndIdsTest::class.java.classLoader) {
                override fun loadClass(name: String, resolve: Boolean): Class<*> = synchronized(getClassLoadingLock(name)) {
                    if (!name.startsWith("dev.cancelable.")) return super.loadClass(name, resolve)
                    findLoadedClass(name) ?: findClass(name)
                }
            }
            return loader.use {
                val ids = it.loadClass(Ids::class.java.name)
                ids.classLoader shouldBe it
                val instance = ids.getField("INSTANCE").get(null)
                val next = ids.getMethod("next")
                List(3) { next.invoke(instance) as String }
            }
        }
        val first = freshIds()
        val second = freshIds()
        for (id in first + second) id shouldMatch ID
        // ids of one generator share their per-process half; two generators share nothing
        first.map { it.takeLast(16) }.toSet().size shouldBe 1
        second.map { it.takeLast(16) }.toSet().size shouldBe 1
        first.first().takeLast(16) shouldNotBe second.first().takeLast(16)
        (first.toSet() intersect second.toSet()).shouldBeEmpty()
    }

    test("aGeneratorTakesItsPerProcessHalfFromItsSeedsAndNeverRepeatsItsFirstHalf") {
        val a = IdGenerator(Random(1))
        val b = IdGenerator(Random(2))
        val fromA = List(1_000) { a.next() }
        val fromB = List(1_000) { b.next() }
        fromA.map { it.takeLast(16) }.toSet().size shouldBe 1
        fromA.first().takeLast(16) shouldNotBe fromB.first().takeLast(16)
        fromA.map { it.take(16) }.toSet().size shouldBe fromA.size
        IdGenerator(Random(1)).next() shouldBe fromA.first()
    }
})
