using System;
using System.Text;
using WandbRunOps.Local.Log;
using Xunit;

namespace WandbRunOps.Tests.Core
{
    public class Crc32Tests
    {
        [Theory]
        [InlineData(1, "hello", 0x8aac239du)]
        [InlineData(1, "", 0xa505df1bu)]
        public void MatchesZlibOverTypeThenPayload(byte type, string text, uint expected)
        {
            byte[] bytes = Encoding.ASCII.GetBytes(text);
            Assert.Equal(expected, Crc32.Compute(type, bytes, 0, bytes.Length));
        }

        [Fact]
        public void EveryLengthAndOffsetAgreesWithTheBytewiseDefinition()
        {
            var data = new byte[300];
            for (int i = 0; i < data.Length; i++)
            {
                data[i] = (byte)(i * 31 + 7);
            }

            for (int offset = 0; offset < 9; offset++)
            {
                for (int count = 0; count + offset <= 200; count += 13)
                {
                    Assert.Equal(Bytewise(3, data, offset, count), Crc32.Compute(3, data, offset, count));
                }
            }
        }

        private static uint Bytewise(byte type, byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFFu;
            void Step(byte b)
            {
                crc ^= b;
                for (int k = 0; k < 8; k++)
                {
                    crc = (crc & 1) != 0 ? 0xEDB88320u ^ (crc >> 1) : crc >> 1;
                }
            }

            Step(type);
            for (int i = offset; i < offset + count; i++)
            {
                Step(data[i]);
            }

            return crc ^ 0xFFFFFFFFu;
        }

        [Theory]
        [InlineData(2, 3)]
        [InlineData(-1, 2)]
        [InlineData(0, -1)]
        [InlineData(5, 0)]
        public void ARangeOutsideTheBufferIsRefusedNotRead(int offset, int count) =>
            Assert.Throws<ArgumentOutOfRangeException>(() => Crc32.Compute(1, new byte[4], offset, count));
    }
}
