package dev.cancelable.examples

import kotlinx.coroutines.runBlocking

private const val USAGE = """usage: Showcase [--list | --example NAME [--java]]
  (no option)        the tour: a pipeline with progress bars, a timeout, a token, a condition,
                     a parent cascade, and the registry's tree and statistics
  --list             the examples, each in Kotlin and Java
  --example NAME     runs one example (the Kotlin version; add --java for the Java one)
From Maven: mvn -B -q -Pshowcase -DskipTests verify -pl examples -am -Dshowcase.args="--example timeout --java""""

/** The README's first command runs this: the tour, or the examples by name. */
fun main(args: Array<String>) {
    when (args.firstOrNull()) {
        null -> runBlocking { Tour().run() }
        "--list" -> list()
        "--example" -> {
            val name = requireNotNull(args.getOrNull(1)) { "--example needs a NAME\n$USAGE" }
            val example = requireNotNull(ExampleCatalog.find(name)) { "no example called '$name'; --list shows them all" }
            val java = "--java" in args
            println("== $name (${if (java) "Java" else "Kotlin"}): ${example.summary}")
            example.run(java, args.drop(2).filter { it != "--java" }.toTypedArray())   // the rest is the example's
        }
        "--help", "-h" -> println(USAGE)
        else -> throw IllegalArgumentException("unknown option '${args.first()}'\n$USAGE")
    }
}

private fun list() {
    println("Examples (run one with --example NAME, add --java for the Java version):")
    val width = ExampleCatalog.all.maxOf { it.name.length }
    for (example in ExampleCatalog.all) {
        val languages = if (example.kotlinOnly == null) "Kotlin, Java" else "Kotlin only"
        println("  ${example.name.padEnd(width)}  ${languages.padEnd(12)}  ${example.summary}")
    }
}
