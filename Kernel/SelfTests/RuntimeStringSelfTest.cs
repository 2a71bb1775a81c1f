using Cowbird.Kernel.Boot;

namespace Cowbird.Kernel.SelfTests
{
    // Strings: literals, length and indexer, ordinal equality, strings built at
    // run time from a char array, and concatenation of two and three strings.
    public sealed class RuntimeStringSelfTest : SelfTest
    {
        public override string Name => "runtime-strings";

        public override bool Run(BootInfo bootInfo)
        {
            string literal = "cowbird";
            bool ok = Check(literal.Length == 7 && literal[0] == 'c' && literal[6] == 'd', "length and indexer of a literal");

            string built = new string(new[] { 'c', 'o', 'w', 'b', 'i', 'r', 'd' });
            ok &= Check(built == literal && (object)built != (object)literal, "a string built from chars equals the literal (not the same object)");
            ok &= Check(built != "cowbirds" && built != "cowbirb" && built != null, "inequality: length, content, null");

            string pid = "42";
            string two = "pid " + pid;
            string three = "pid " + pid + " exited";
            ok &= Check(two == "pid 42" && three == "pid 42 exited" && three.Length == 13, "concatenation of two and three strings");
            string withNull = "x" + (string)null;
            ok &= Check(withNull == "x", "null concatenates as empty");
            ok &= Check(built.GetHashCode() == literal.GetHashCode(), "equal strings hash alike");
            return ok;
        }
    }
}
