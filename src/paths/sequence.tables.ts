// The columns paths and program templates share (migration 006 made their tables alike): the head,
// an item of its ordered courses (beside the owner column), and an enrolment (likewise).
export interface SequenceHeadTable {
  id: string;
  group_id: string;
  name: string;
  description: string | null;
  created_by: string | null;
  created_at: string;
  updated_at: string;
}

export interface SequenceItemColumns {
  /** 0-based, dense; (owner, position) is the primary key. */
  position: number;
  course_id: string;
  added_by: string | null;
  added_at: string;
}

export interface EnrolmentColumns {
  user_id: string;
  enrolled_by: string | null;
  enrolled_at: string;
}
