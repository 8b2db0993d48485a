// Types for the part of seek-bzip (which ships none) that the nfcapd decoder uses.
declare module 'seek-bzip' {
  const seekBzip: {
    /** Decodes a whole bzip2 stream held in memory. */
    decode(input: Buffer, output?: Buffer | number, multistream?: boolean): Buffer;
  };
  export default seekBzip;
}
