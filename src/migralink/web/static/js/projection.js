// A small spherical Mercator projection of our own rather than a library: South Korea
// spans 7.5° of longitude and 6° of latitude, where Mercator's area distortion is under
// 15%, and a fixed frame keeps the map still when the level or the vintage changes.
const FRAME = { west: 124.5, east: 132.0, south: 33.0, north: 38.75 };
export const WIDTH = 800;

function mercatorY(lat) {
  return Math.log(Math.tan(Math.PI / 4 + (lat * Math.PI) / 360));
}

const top = mercatorY(FRAME.north);
const scale = WIDTH / (((FRAME.east - FRAME.west) * Math.PI) / 180);
export const HEIGHT = Math.round((top - mercatorY(FRAME.south)) * scale);

function point([lon, lat]) {
  const x = (((lon - FRAME.west) * Math.PI) / 180) * scale;
  const y = (top - mercatorY(lat)) * scale;
  return `${x.toFixed(1)},${y.toFixed(1)}`;
}

function ring(coords) {
  return `M${coords.map(point).join('L')}Z`;
}

/** The SVG path data of a GeoJSON Polygon or MultiPolygon (holes by the even-odd rule). */
export function pathData(geometry) {
  const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
  return polygons.map((rings) => rings.map(ring).join('')).join('');
}

const paths = new WeakMap();

/** `pathData` of a feature, computed once per feature object (the API answer is cached). */
export function featurePath(feature) {
  if (!paths.has(feature)) paths.set(feature, pathData(feature.geometry));
  return paths.get(feature);
}
