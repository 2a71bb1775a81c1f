using Cowbird.Kernel.Boot;
using Cowbird.Runtime.Dispatch;

namespace Cowbird.Kernel.SelfTests
{
    // Interface calls through the runtime's dispatch resolver. Each interface
    // has at least five constructed implementors so ILC cannot devirtualise the
    // calls (with two or three it turns them into type checks); the test checks
    // that the resolver really ran. Covered: a three-slot interface, explicit
    // implementations, a boxed struct (unboxing stub), a sealed class, an
    // implementation inherited from a base class and one overridden in a derived
    // class, a re-implementation, and a method with 11 arguments mixing integers,
    // floats and doubles (one passed on the stack).
    public sealed class DispatchSelfTest : SelfTest
    {
        public override string Name => "dispatch";

        private interface IShape
        {
            int Sides();
            long Scale(long factor);
            int Corner(int index, int weight);
        }

        private class Triangle : IShape
        {
            public virtual int Sides() => 3;
            public long Scale(long factor) => 3 * factor;
            public int Corner(int index, int weight) => index * 60 + weight;
        }

        private sealed class Square : IShape
        {
            public int Sides() => 4;
            public long Scale(long factor) => 4 * factor;
            public int Corner(int index, int weight) => index * 90 + weight;
        }

        private class Pentagon : IShape
        {
            int IShape.Sides() => 5;
            long IShape.Scale(long factor) => 5 * factor;
            int IShape.Corner(int index, int weight) => index * 108 + weight;
        }

        private struct Hexagon : IShape
        {
            public int Extra;
            public int Sides() => 6 + Extra;
            public long Scale(long factor) => 6 * factor;
            public int Corner(int index, int weight) => index * 120 + weight;
        }

        // Inherits Triangle's map; overrides the virtual Sides.
        private sealed class Heptagon : Triangle
        {
            public override int Sides() => 7;
        }

        // Re-implements IShape.Scale on top of Pentagon's explicit implementation.
        private sealed class Octagon : Pentagon, IShape
        {
            long IShape.Scale(long factor) => 8 * factor;
        }

        private interface IMixer
        {
            double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k);
        }

        private sealed class MixerA : IMixer
        {
            public double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k) =>
                a + b + c + d + e + f + g + h + i + j + k;
        }

        private sealed class MixerB : IMixer
        {
            public double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k) =>
                2 * (a + b + c + d + e + f + g + h + i + j + k);
        }

        private sealed class MixerC : IMixer
        {
            public double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k) =>
                a * 1000000 + k;
        }

        private sealed class MixerD : IMixer
        {
            public double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k) =>
                c * d * h;
        }

        private sealed class MixerE : IMixer
        {
            public double Mix(int a, long b, float c, double d, int e, int f, double g, float h, int i, double j, long k) =>
                -j;
        }

        public override bool Run(BootInfo bootInfo)
        {
            ulong resolutionsBefore = InterfaceDispatch.Resolutions;
            IShape[] shapes = { new Triangle(), new Square(), new Pentagon(), new Hexagon(), new Heptagon(), new Octagon() };
            int sides = 0;
            long scaled = 0;
            int corners = 0;
            for (int round = 0; round < 3; round++)
                for (int i = 0; i < shapes.Length; i++)
                {
                    sides += shapes[i].Sides();
                    scaled += shapes[i].Scale(10);
                    corners += shapes[i].Corner(2, i);
                }
            bool ok = Check(sides == 3 * (3 + 4 + 5 + 6 + 7 + 5), "slot 0 over six implementors (explicit, struct, inherited override)");
            ok &= Check(scaled == 3 * 10 * (3 + 4 + 5 + 6 + 3 + 8), "slot 1, with a re-implementation in a derived class");
            ok &= Check(corners == 3 * (2 * (60 + 90 + 108 + 120 + 60 + 108) + (0 + 1 + 2 + 3 + 4 + 5)), "slot 2 with two arguments");

            IMixer[] mixers = { new MixerA(), new MixerB(), new MixerC(), new MixerD(), new MixerE() };
            double[] expected = { 60.0, 120.0, 1000011.0, 24.0, -9.5 };
            bool mixed = true;
            for (int i = 0; i < mixers.Length; i++)
                mixed &= mixers[i].Mix(1, 2, 3.0f, 4.0, 5, 6, 7.5, 2.0f, 9, 9.5, 11) == expected[i];
            ok &= Check(mixed, "11 arguments: integers, floats and doubles, one on the stack");

            ok &= Check(InterfaceDispatch.Resolutions > resolutionsBefore && InterfaceDispatch.CellsPatched >= 4,
                "the calls went through the dispatch resolver");
            ok &= Check(InterfaceDispatch.CellCount >= 4, "the runtime found the dispatch cells at start-up");
            return ok;
        }
    }
}
