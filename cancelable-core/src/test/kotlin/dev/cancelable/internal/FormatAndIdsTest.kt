package dev.cancelable.internal

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldMatch
import java.math.BigDecimal
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.nanoseconds
import kotlin.time.Duration.Companion.seconds
import kotlin.time.toJavaDuration

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

    test("idsArePrefixDashBase36CounterAndUnique") {
        val ids = List(50_000) { Ids.next() }
        ids.toSet().size shouldBe ids.size
        val prefix = ids.first().substringBefore('-')
        for (id in ids) id shouldMatch Regex("$prefix-[0-9a-z]+")
        val first = ids.first().substringAfter('-').toLong(36)
        ids.last().substringAfter('-').toLong(36) shouldBe first + ids.size - 1
    }
})
