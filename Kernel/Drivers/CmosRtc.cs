using Cowbird.Kernel.Arch.X64;

namespace Cowbird.Kernel.Drivers
{
    // The PC's battery-backed real-time clock (MC146818, CMOS ports 0x70/0x71), read
    // once at boot for CLOCK_REALTIME. Waits out an update in progress; handles BCD and
    // 12-hour formats (status register B). Assumes the clock runs in UTC (as QEMU's does).
    public static class CmosRtc
    {
        private const ushort IndexPort = 0x70;
        private const ushort DataPort = 0x71;
        private const byte Seconds = 0x00, Minutes = 0x02, Hours = 0x04, Day = 0x07, Month = 0x08, Year = 0x09;
        private const byte StatusA = 0x0A, StatusB = 0x0B;
        private const byte UpdateInProgress = 0x80;
        private const byte BinaryMode = 0x04, TwentyFourHour = 0x02;
        private const byte PmBit = 0x80;

        // Seconds since 1970-01-01 00:00:00 UTC.
        public static ulong ReadUnixTime()
        {
            while ((Read(StatusA) & UpdateInProgress) != 0) { }
            byte status = Read(StatusB);
            ulong second = Decode(Read(Seconds), status);
            ulong minute = Decode(Read(Minutes), status);
            byte rawHour = Read(Hours);
            ulong hour = Decode((byte)(rawHour & ~PmBit), status);
            if ((status & TwentyFourHour) == 0 && (rawHour & PmBit) != 0)
                hour = (hour % 12) + 12;
            ulong day = Decode(Read(Day), status);
            ulong month = Decode(Read(Month), status);
            ulong year = 2000 + Decode(Read(Year), status);
            return DaysSinceEpoch(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
        }

        private static byte Read(byte register)
        {
            Cpu.OutByte(IndexPort, register);
            return Cpu.InByte(DataPort);
        }

        private static ulong Decode(byte value, byte status)
        {
            if ((status & BinaryMode) != 0)
                return value;
            return (ulong)((value >> 4) * 10 + (value & 0xF));
        }

        // Days from 1970-01-01 to year-month-day (civil calendar, Howard Hinnant's algorithm).
        private static ulong DaysSinceEpoch(ulong year, ulong month, ulong day)
        {
            long y = (long)year - (month <= 2 ? 1 : 0);
            long era = y / 400;
            long yearOfEra = y - era * 400;
            long m = (long)month;
            long dayOfYear = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + (long)day - 1;
            long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
            return (ulong)(era * 146097 + dayOfEra - 719468);
        }
    }
}
