import type { DataSet } from 'dicom-parser';

/**
 * Attributes of the DICOM basic application level confidentiality profile
 * (PS3.15 Annex E, table E.1-1) that a text export could carry: who the
 * patient is, where and by whom they were seen. Farpoint reads them only
 * when a project has turned `keepPatientAttributes` on; otherwise they are
 * never stored, shown or exported. UIDs are kept in every case, because
 * they are how a label traces back to its image; they are not listed here.
 */
export const IDENTIFYING_TAGS: Readonly<Record<string, string>> = {
  x00100010: 'PatientName',
  x00100020: 'PatientID',
  x00100021: 'IssuerOfPatientID',
  x00100030: 'PatientBirthDate',
  x00100032: 'PatientBirthTime',
  x00100040: 'PatientSex',
  x00101000: 'OtherPatientIDs',
  x00101001: 'OtherPatientNames',
  x00101005: 'PatientBirthName',
  x00101010: 'PatientAge',
  x00101020: 'PatientSize',
  x00101030: 'PatientWeight',
  x00101040: 'PatientAddress',
  x00101060: 'PatientMotherBirthName',
  x00101080: 'MilitaryRank',
  x00102150: 'CountryOfResidence',
  x00102154: 'PatientTelephoneNumbers',
  x00102160: 'EthnicGroup',
  x00104000: 'PatientComments',
  x00080020: 'StudyDate',
  x00080030: 'StudyTime',
  x00080050: 'AccessionNumber',
  x00080080: 'InstitutionName',
  x00080081: 'InstitutionAddress',
  x00080090: 'ReferringPhysicianName',
  x00081010: 'StationName',
  x00081040: 'InstitutionalDepartmentName',
  x00081050: 'PerformingPhysicianName',
  x00081070: 'OperatorsName',
  x00181000: 'DeviceSerialNumber',
  x00200010: 'StudyID',
};

export type IdentifyingAttributes = Record<string, string>;

export function readIdentifyingAttributes(dataSet: DataSet): IdentifyingAttributes {
  const out: IdentifyingAttributes = {};
  for (const [tag, name] of Object.entries(IDENTIFYING_TAGS)) {
    const value = dataSet.elements[tag] ? dataSet.string(tag)?.trim() : undefined;
    if (value) out[name] = value;
  }
  return out;
}
