package dev.cancelable.examples.support

/** The answer the simulated language model streams, with the marker by which it asks for a pause. */
object LlmText {
    /** Written by the model where it wants the client to stop and wait. */
    const val MARKER: String = "!!CANCEL"

    /** About 600 characters, the marker about a third of the way in. */
    const val ANSWER: String =
        "Computing began with mechanical calculators: Pascal's adding machine, Leibniz's stepped reckoner, " +
            "and Babbage's difference engine, designed but never finished in his lifetime. $MARKER" +
            "Ada Lovelace saw that such an engine could manipulate symbols, not only numbers. A century later, " +
            "Turing defined what any machine can compute, and von Neumann described the stored program that " +
            "every computer still follows. Mainframes filled rooms, minicomputers filled offices, and personal " +
            "computers filled homes; networks then joined them into the internet, and phones put it in every pocket."
}
